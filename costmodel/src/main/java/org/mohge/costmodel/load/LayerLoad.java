package org.mohge.costmodel.load;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/** Expected tokens per step routed to each expert of one MoE layer, in model expert order. */
public record LayerLoad(@JsonProperty(required = true) int layer, @JsonProperty(required = true) List<Double> expertLoads) {
    public LayerLoad {
        Require.nonNegative(layer, "layer");
        expertLoads = Require.nonEmpty(expertLoads, "expertLoads");
        double total = 0;
        for (int i = 0; i < expertLoads.size(); i++) {
            Require.nonNegative(expertLoads.get(i), "expertLoads[" + i + "]");
            Require.check(expertLoads.get(i) <= MAX_TOKENS_PER_EXPERT, "expertLoads[" + i + "]",
                    "must be at most " + MAX_TOKENS_PER_EXPERT + " tokens per step (byte counts of larger loads "
                            + "overflow), got " + expertLoads.get(i));
            total += expertLoads.get(i);
        }
        Require.check(total > 0, "expertLoads", "must route some tokens: every entry is 0");
    }

    /** Most tokens per step one expert may receive: a trillion, far above any real step. */
    public static final double MAX_TOKENS_PER_EXPERT = 1e12;

    public double[] loads() {
        return expertLoads.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public double totalTokens() {
        return expertLoads.stream().mapToDouble(Double::doubleValue).sum();
    }
}
