package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.mohge.costmodel.spec.Require;

/**
 * HMoE (arXiv 2408.10681): one flat top-k router over experts that each have their own hidden
 * size, listed in {@code expertHidden}.
 */
public record HeterogeneousMoe(@JsonProperty(required = true) List<Integer> expertHidden, @JsonProperty(required = true) int topK, int sharedExperts, int sharedExpertHidden,
                               Activation activation) implements MoeLayerSpec {

    public HeterogeneousMoe {
        expertHidden = Require.nonEmpty(expertHidden, "expertHidden");
        org.mohge.costmodel.spec.Limits.experts(expertHidden.size(), "expertHidden");
        for (int i = 0; i < expertHidden.size(); i++) {
            Require.positive(expertHidden.get(i), "expertHidden[" + i + "]");
        }
        Require.positive(topK, "topK");
        Require.check(topK <= expertHidden.size(), "topK",
                "must be <= the number of experts (" + expertHidden.size() + "), got " + topK);
        sharedExpertHidden = Require.sharedExpertHidden(sharedExperts, sharedExpertHidden);
        activation = Require.orDefault(activation, Activation.SWIGLU);
    }

    @Override
    public List<ExpertShape> expertShapes() {
        List<Integer> distinct = distinctSizes();
        List<ExpertShape> list = new ArrayList<>(expertHidden.size());
        for (int i = 0; i < expertHidden.size(); i++) {
            list.add(new ExpertShape(i, distinct.indexOf(expertHidden.get(i)), expertHidden.get(i)));
        }
        return list;
    }

    private List<Integer> distinctSizes() {
        return expertHidden.stream().distinct().sorted().toList();
    }

    @Override
    public List<ExpertGroup> sizeClasses() {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        expertHidden.forEach(h -> counts.merge(h, 1, Integer::sum));
        List<ExpertGroup> classes = new ArrayList<>();
        counts.forEach((hidden, count) -> classes.add(new ExpertGroup(hidden, count)));
        return classes;
    }

    @Override
    public int routedExpertsPerToken() {
        return topK;
    }


    @Override
    public long routerParams(int modelHidden) {
        return (long) modelHidden * expertHidden.size();
    }

    @Override
    public double[] defaultExpertShares() {
        double[] shares = new double[expertHidden.size()];
        Arrays.fill(shares, 1.0 / shares.length);
        return shares;
    }

    @Override
    public String kind() {
        return "heterogeneous";
    }
}
