package org.mohge.cli.calibrate;

import java.util.List;

/**
 * Predicted against measured expert time per GPU partition of one MoE layer, with the summary
 * figures: median and largest absolute error, and the imbalance (max/mean over GPUs) each side sees.
 */
public record ValidationResult(String scenario, String backend, String device, String costModel, int tokens,
                               List<PartitionCheck> partitions, double medianAbsErrorPct, double maxAbsErrorPct,
                               double predictedImbalance, double measuredImbalance) {
    public ValidationResult {
        partitions = List.copyOf(partitions);
    }
}
