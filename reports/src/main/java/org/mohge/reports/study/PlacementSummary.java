package org.mohge.reports.study;

import java.util.ArrayList;
import java.util.List;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.evaluation.PlacementEvaluation;

/**
 * One strategy's placement over every profiled MoE layer: the mean over layers of the slowest GPU's
 * expert time, max/mean and gap to the lower bound (with one layer, that layer's figures), the
 * largest memory and extra copies of any layer, whether every layer fits, and the mean inter-node
 * bytes per layer.
 */
public record PlacementSummary(String strategy, double maxGpuTimeUs, double imbalance, double gapToLowerBound,
                               double maxMemoryBytes, boolean fitsMemory, int extraCopies, double interNodeBytes) {

    /** Every strategy of the comparison, in request order. */
    public static List<PlacementSummary> of(LayeredComparison comparison) {
        List<PlacementSummary> list = new ArrayList<>();
        for (String strategy : comparison.strategies()) {
            List<PlacementResult> layers = comparison.results(strategy);
            int n = layers.size();
            double maxTime = 0;
            double imbalance = 0;
            double gap = 0;
            double memory = 0;
            boolean fits = true;
            int extra = 0;
            double inter = 0;
            for (PlacementResult r : layers) {
                PlacementEvaluation e = r.evaluation();
                maxTime += e.maxGpuTimeUs();
                imbalance += e.imbalance();
                gap += e.gapToLowerBound();
                memory = Math.max(memory, e.maxMemoryBytes());
                fits &= e.fitsMemory();
                extra = Math.max(extra, e.extraCopies());
                inter += e.interNodeBytes();
            }
            list.add(new PlacementSummary(strategy, maxTime / n, imbalance / n, gap / n, memory, fits, extra,
                    inter / n));
        }
        return list;
    }

    /** Mean over the profiled layers of the perfect-balance lower bound, us. */
    public static double meanPerfectBalanceUs(LayeredComparison comparison) {
        return comparison.perLayer().stream().mapToDouble(c -> c.bounds().perfectBalanceUs()).sum()
                / comparison.perLayer().size();
    }

    /** Mean over the profiled layers of the largest-copy lower bound, us. */
    public static double meanLargestCopyUs(LayeredComparison comparison) {
        return comparison.perLayer().stream().mapToDouble(c -> c.bounds().largestCopyUs()).sum()
                / comparison.perLayer().size();
    }
}
