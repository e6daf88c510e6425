package org.mohge.sim.metrics;

/**
 * Time one GPU spends per step in a stage (a {@code LayerStage} label or {@code lm head}),
 * summed over layers and micro-batches: forward and backward means over GPUs, and the largest
 * total on any GPU.
 */
public record StageTime(String stage, double forwardUs, double backwardUs, double maxGpuUs) {
}
