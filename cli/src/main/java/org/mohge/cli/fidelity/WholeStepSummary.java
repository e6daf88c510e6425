package org.mohge.cli.fidelity;

import java.util.ArrayList;
import java.util.Arrays;
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
        Map<String, Map<String, List<FidelitySuite.Row>>> byGpu = new TreeMap<>();
        for (FidelitySuite.Row r : rows) {
            byGpu.computeIfAbsent(r.gpu(), g -> new TreeMap<>())
                    .computeIfAbsent(r.moe() ? "moe" : "dense", k -> new ArrayList<>()).add(r);
        }
        List<Kind> out = new ArrayList<>();
        byGpu.forEach((gpu, kinds) -> kinds.forEach((kind, group) -> {
            double[] abs = group.stream().mapToDouble(r -> Math.abs(r.tokensErrorPct())).toArray();
            int faster = (int) group.stream().filter(r -> r.tokensErrorPct() > 0).count();
            out.add(new Kind(gpu, kind, group.size(), CalibrationFitter.median(abs),
                    Arrays.stream(abs).max().orElseThrow(), faster));
        }));
        return List.copyOf(out);
    }
}
