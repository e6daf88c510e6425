package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * One expert-to-GPU map per MoE layer, as EPLB and its vLLM and SGLang integrations keep them.
 * {@code layers} lists maps by increasing MoE layer number; {@link #placementFor(int)} gives layer
 * l the map of the largest listed layer number not above l (the first map for layers before it),
 * so a single map applies to every layer. The file form is
 * {@code {"strategy": "fast", "gpuCount": 64, "layers": [{"layer": 0, "experts": [...]}, ...]}};
 * a {@link Placement} file (one map) is read as a layered placement of one map.
 */
public record LayeredPlacement(String strategy, @JsonProperty(required = true) int gpuCount,
                               @JsonProperty(required = true) List<LayerPlacement> layers) {

    /** The map of MoE layer {@code layer}. */
    public record LayerPlacement(@JsonProperty(required = true) int layer,
                                 @JsonProperty(required = true) List<ExpertPlacement> experts) {
        public LayerPlacement {
            Require.nonNegative(layer, "layer");
            experts = Require.nonEmpty(experts, "experts");
        }
    }

    public LayeredPlacement {
        Require.text(strategy, "strategy");
        Require.positive(gpuCount, "gpuCount");
        layers = Require.nonEmpty(layers, "layers");
        int experts = layers.get(0).experts().size();
        for (int i = 0; i < layers.size(); i++) {
            LayerPlacement l = layers.get(i);
            if (i > 0) {
                Require.check(l.layer() > layers.get(i - 1).layer(), "layers[" + i + "].layer",
                        "must be larger than layers[" + (i - 1) + "].layer (" + layers.get(i - 1).layer()
                                + "): maps are listed by increasing layer, got " + l.layer());
            }
            Require.check(l.experts().size() == experts, "layers[" + i + "].experts",
                    "must list " + experts + " experts like layers[0], got " + l.experts().size());
            // The Placement constructor checks expert order and GPU numbers; name the layer on failure.
            try {
                new Placement(strategy, gpuCount, l.experts());
            } catch (SpecViolation e) {
                throw new SpecViolation("layers[" + i + "]." + e.field(), e.rule());
            }
        }
    }

    /** One map for every layer. */
    public static LayeredPlacement single(Placement placement) {
        return new LayeredPlacement(placement.strategy(), placement.gpuCount(),
                List.of(new LayerPlacement(0, placement.experts())));
    }

    /** Maps for the given layer numbers (increasing), named by the first map's strategy unless {@code strategy} is given. */
    public static LayeredPlacement of(String strategy, List<Integer> layerNumbers, List<Placement> placements) {
        Require.check(layerNumbers.size() == placements.size(), "layers", "one layer number per map");
        List<LayerPlacement> list = new ArrayList<>(placements.size());
        for (int i = 0; i < placements.size(); i++) {
            list.add(new LayerPlacement(layerNumbers.get(i), placements.get(i).experts()));
        }
        return new LayeredPlacement(strategy, placements.get(0).gpuCount(), list);
    }

    /** The map MoE layer {@code layer} uses. */
    public Placement placementFor(int layer) {
        return new Placement(strategy, gpuCount, layers.get(mapIndexFor(layer)).experts());
    }

    /**
     * How many of the model's {@code moeLayers} MoE layers (0 to moeLayers - 1) use each listed map,
     * by the rule of {@link #placementFor(int)}; a map listed for a layer at or above
     * {@code moeLayers} counts 0.
     */
    public int[] layerCounts(int moeLayers) {
        int[] counts = new int[layers.size()];
        for (int l = 0; l < moeLayers; l++) {
            counts[mapIndexFor(l)]++;
        }
        return counts;
    }

    /** Index into {@link #layers()} of the map MoE layer {@code layer} uses. */
    public int mapIndexFor(int layer) {
        int chosen = 0;
        for (int i = 1; i < layers.size() && layers.get(i).layer() <= layer; i++) {
            chosen = i;
        }
        return chosen;
    }

    /** Every listed map, in order. */
    public List<Placement> placements() {
        List<Placement> list = new ArrayList<>(layers.size());
        for (LayerPlacement l : layers) {
            list.add(new Placement(strategy, gpuCount, l.experts()));
        }
        return list;
    }

    public int expertCount() {
        return layers.get(0).experts().size();
    }

    public boolean hasOneMap() {
        return layers.size() == 1;
    }
}
