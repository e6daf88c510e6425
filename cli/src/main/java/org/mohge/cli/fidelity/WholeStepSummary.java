package org.mohge.cli.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mohge.costmodel.calibration.CalibrationFitter;

/**
 * The whole-step errors per GPU and model kind, over the suite's rows and its checks together:
 * what each shipped profile states in {@code wholeSteps}, so that the suite prints the figures a
 * profile must carry and a reader sees on which side of the published runs the model lands.
 */
public final class WholeStepSummary {
    private WholeStepSummary() {
    }

    /**
     * One GPU and kind ({@code dense} or {@code moe}): runs, median and worst |error| of tokens/s per
     * GPU in %, and how many runs were predicted faster than published.
     */
    public record Kind(String gpu, String kind, int runs, double medianAbsErrorPct, double worstAbsErrorPct,
                       int fasterRuns) {
    }

    /** The kinds of {@code rows}, ordered by GPU and then kind. */
    public static List<Kind> of(List<FidelitySuite.Row> rows) {
        Map<String, List<FidelitySuite.Row>> byKind = new TreeMap<>();
        for (FidelitySuite.Row r : rows) {
            byKind.computeIfAbsent(r.gpu() + " " + (r.moe() ? "moe" : "dense"), k -> new ArrayList<>()).add(r);
        }
        List<Kind> out = new ArrayList<>();
        byKind.forEach((key, group) -> {
            double[] abs = group.stream().mapToDouble(r -> Math.abs(r.tokensErrorPct())).toArray();
            int faster = (int) group.stream().filter(r -> r.tokensErrorPct() > 0).count();
            String[] parts = key.split(" ");
            out.add(new Kind(parts[0], parts[1], group.size(), CalibrationFitter.median(abs),
                    java.util.Arrays.stream(abs).max().orElseThrow(), faster));
        });
        return List.copyOf(out);
    }
}
