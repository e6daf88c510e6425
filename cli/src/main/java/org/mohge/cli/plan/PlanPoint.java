package org.mohge.cli.plan;

import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;

/**
 * One point of a finished sweep, as it appears in results.json, results.csv and {@code --json}:
 * the point's values, what the evaluation found, its cost per hour ({@code gpus x price}) and
 * whether it meets the target and lies on the Pareto front (cost per hour against tokens/s,
 * fitting points only). Simulation figures are null for points that do not fit or are invalid.
 */
public record PlanPoint(String id, String label, String gpu, int nodes, int gpusPerNode, int gpus,
                        long tokensPerStep, int layout, List<ExpertGroup> groups, Integer topGroups,
                        Integer topExpertsPerGroup, double groupBias, double intraGroupBalance, String placement,
                        String status, String reason, double costPerHour, Long totalParams, Double activatedParams,
                        Double expertSizeRatio, Double peakMemoryGiB, Double memoryHeadroomPct, Double stepTimeMs,
                        Double tokensPerSecond, Double imbalance, boolean meetsTarget, boolean pareto) {

    public boolean ok() {
        return PointMetrics.OK.equals(status);
    }
}
