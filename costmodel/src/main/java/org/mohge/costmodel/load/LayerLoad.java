package org.mohge.costmodel.load;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/** Expected tokens per step routed to each expert of one MoE layer, in model expert order. */
public record LayerLoad(@JsonProperty(required = true) int layer, @JsonProperty(required = true) List<Double> expertLoads) {
    public LayerLoad {
        Require.nonNegative(layer, "layer");
        expertLoads = Require.nonEmpty(expertLoads, "expertLoads");
        for (int i = 0; i < expertLoads.size(); i++) {
            Require.nonNegative(expertLoads.get(i), "expertLoads[" + i + "]");
        }
    }

    public double[] loads() {
        return expertLoads.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public double totalTokens() {
        return expertLoads.stream().mapToDouble(Double::doubleValue).sum();
    }
}
