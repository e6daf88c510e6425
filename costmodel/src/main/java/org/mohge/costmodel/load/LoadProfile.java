package org.mohge.costmodel.load;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * Expert loads of one or more MoE layers; the file form is
 * {@code {"layers": [{"layer": 0, "expertLoads": [90, 132, ...]}]}}.
 */
public record LoadProfile(@JsonProperty(required = true) List<LayerLoad> layers) {
    public LoadProfile {
        layers = Require.nonEmpty(layers, "layers");
        int experts = layers.get(0).expertLoads().size();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Require.check(seen.add(layers.get(i).layer()), "layers[" + i + "].layer",
                    "must name each layer once; layer " + layers.get(i).layer() + " appears twice");
            int n = layers.get(i).expertLoads().size();
            Require.check(n == experts, "layers[" + i + "].expertLoads",
                    "must have " + experts + " entries like layers[0], got " + n);
        }
    }

    public int expertCount() {
        return layers.get(0).expertLoads().size();
    }
}
