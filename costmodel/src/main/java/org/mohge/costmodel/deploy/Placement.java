package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * Which GPUs hold each routed expert of a MoE layer, and which share of the expert's tokens each
 * copy serves. The same placement applies to every MoE layer. {@code experts} is indexed by
 * expert, in the model's expert order.
 */
public record Placement(String strategy, @JsonProperty(required = true) int gpuCount, @JsonProperty(required = true) List<ExpertPlacement> experts) {

    public Placement {
        Require.text(strategy, "strategy");
        Require.positive(gpuCount, "gpuCount");
        experts = Require.nonEmpty(experts, "experts");
        for (int i = 0; i < experts.size(); i++) {
            ExpertPlacement e = experts.get(i);
            Require.check(e.expert() == i, "experts[" + i + "].expert",
                    "must be " + i + " (experts are listed in model order), got " + e.expert());
            for (ExpertReplica r : e.replicas()) {
                Require.check(r.gpu() < gpuCount, "experts[" + i + "].replicas",
                        "GPU " + r.gpu() + " does not exist (the cluster has " + gpuCount + ")");
            }
        }
    }

    /** Experts (with the share they serve) that GPU {@code gpu} holds, per GPU. */
    public List<List<HeldCopy>> copiesByGpu() {
        List<List<HeldCopy>> byGpu = new ArrayList<>(gpuCount);
        for (int g = 0; g < gpuCount; g++) {
            byGpu.add(new ArrayList<>());
        }
        for (ExpertPlacement e : experts) {
            for (ExpertReplica r : e.replicas()) {
                byGpu.get(r.gpu()).add(new HeldCopy(e.expert(), r.share()));
            }
        }
        return byGpu;
    }

    public int expertCount() {
        return experts.size();
    }

    /** Copies held by each GPU. */
    public int[] copiesPerGpu() {
        int[] copies = new int[gpuCount];
        for (ExpertPlacement e : experts) {
            for (ExpertReplica r : e.replicas()) {
                copies[r.gpu()]++;
            }
        }
        return copies;
    }
}
