package org.mohge.costmodel.cost;

import java.util.List;

/**
 * Expected cost of one MoE layer for one micro-batch: each stage on the GPU that finishes it
 * last (the layer cannot move on before), the per-GPU expert time behind the expert stage, and
 * the all-to-all traffic.
 */
public record LayerCostBreakdown(double tokensPerGpu, List<StageCost> stages, double[] expertTimeUsPerGpu,
                                 double intraNodeBytes, double interNodeBytes) {

    public LayerCostBreakdown {
        stages = List.copyOf(stages);
        expertTimeUsPerGpu = expertTimeUsPerGpu.clone();
    }

    public double totalUs() {
        return stages.stream().mapToDouble(StageCost::totalUs).sum();
    }

    /** Max over mean of the per-GPU expert time (1 = perfectly balanced). */
    public double expertImbalance() {
        double max = 0;
        double sum = 0;
        for (double t : expertTimeUsPerGpu) {
            max = Math.max(max, t);
            sum += t;
        }
        return sum == 0 ? 1 : max / (sum / expertTimeUsPerGpu.length);
    }

    @Override
    public double[] expertTimeUsPerGpu() {
        return expertTimeUsPerGpu.clone();
    }
}
