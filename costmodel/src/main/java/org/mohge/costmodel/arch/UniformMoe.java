package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.spec.Require;

/** {@code experts} equal experts of hidden size {@code expertHidden}; each token uses {@code topK}. */
public record UniformMoe(@JsonProperty(required = true) int experts, @JsonProperty(required = true) int expertHidden, @JsonProperty(required = true) int topK, int sharedExperts, int sharedExpertHidden,
                         Activation activation) implements MoeLayerSpec {

    public UniformMoe {
        Require.positive(experts, "experts");
        org.mohge.costmodel.spec.Limits.experts(experts, "experts");
        Require.positive(expertHidden, "expertHidden");
        Require.positive(topK, "topK");
        Require.check(topK <= experts, "topK", "must be <= experts (" + experts + "), got " + topK);
        Require.nonNegative(sharedExperts, "sharedExperts");
        if (sharedExperts == 0) {
            sharedExpertHidden = 0;
        } else if (sharedExpertHidden == 0) {
            sharedExpertHidden = expertHidden; // Mixtral/DeepSeek style: shared experts as wide as routed ones
        } else {
            Require.positive(sharedExpertHidden, "sharedExpertHidden");
        }
        activation = Require.orDefault(activation, Activation.SWIGLU);
    }

    @Override
    public List<ExpertShape> expertShapes() {
        List<ExpertShape> list = new ArrayList<>(experts);
        for (int i = 0; i < experts; i++) {
            list.add(new ExpertShape(i, 0, expertHidden));
        }
        return list;
    }

    @Override
    public int expertCount() {
        return experts;
    }

    @Override
    public List<ExpertGroup> sizeClasses() {
        return List.of(new ExpertGroup(expertHidden, experts));
    }

    @Override
    public int routedExpertsPerToken() {
        return topK;
    }


    @Override
    public long routerParams(int modelHidden) {
        return (long) modelHidden * experts;
    }

    @Override
    public double[] defaultExpertShares() {
        double[] shares = new double[experts];
        Arrays.fill(shares, 1.0 / experts);
        return shares;
    }

    @Override
    public String kind() {
        return "uniform";
    }
}
