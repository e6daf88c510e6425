package org.mohge.reports.chart;

import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mohge.costmodel.cost.LayerStage;

/**
 * One colour per meaning across every chart of every report: a stage, a GPU kind, a placement
 * strategy or a memory kind always gets the same colour, so "experts" in the stage chart matches
 * "experts" in the timeline. Series with no fixed colour take, in order, the palette colours no
 * other series of the same chart uses.
 */
final class SeriesColors {
    /** Okabe and Ito's colour-blind-safe eight, then Paul Tol's muted scheme for more keys. */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000),
        new Color(0x882255), new Color(0x44AA99), new Color(0x999933), new Color(0x888888),
        new Color(0x332288), new Color(0xAA4499), new Color(0xDDCC77), new Color(0x117733)
    };
    private static final Map<String, Color> FIXED = fixed();

    private SeriesColors() {
    }

    private static Map<String, Color> fixed() {
        Map<String, Color> m = new LinkedHashMap<>();
        // Stages in execution order, then the stages outside the layer loop.
        List<String> stages = new ArrayList<>();
        for (LayerStage s : LayerStage.values()) {
            stages.add(s.label());
        }
        stages.addAll(List.of("lm head", "embedding", "idle"));
        assignInOrder(m, stages);
        // Kinds that never share a chart with stages may reuse the palette from its start.
        assignInOrder(m, List.of("contiguous", "group-decoupled", "greedy", "replicate", "optaplanner", "eplb", "fast"));
        assignInOrder(m, List.of("a100-sxm", "h100-sxm", "h200-sxm", "b200", "h800", "h20", "mi300x"));
        assignInOrder(m, List.of("weights", "gradients", "optimizer", "activations", "KV cache"));
        return m;
    }

    private static void assignInOrder(Map<String, Color> m, List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            m.putIfAbsent(keys.get(i), PALETTE[i % PALETTE.length]);
        }
    }

    /** Colours of a chart's series, by name, in series order. */
    static List<Paint> forSeries(List<String> names) {
        Set<Color> used = new HashSet<>();
        for (String n : names) {
            if (FIXED.containsKey(n)) {
                used.add(FIXED.get(n));
            }
        }
        List<Paint> paints = new ArrayList<>();
        int next = 0;
        for (String n : names) {
            Color c = FIXED.get(n);
            if (c == null) {
                while (next < PALETTE.length - 1 && used.contains(PALETTE[next])) {
                    next++;
                }
                c = PALETTE[next];
                used.add(c);
            }
            paints.add(c);
        }
        return paints;
    }

    /** The fixed colour of {@code key}, or null when it has none (tests). */
    static Color fixedColor(String key) {
        return FIXED.get(key);
    }
}
