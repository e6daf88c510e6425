package org.mohge.sim.metrics;

import java.util.List;

/**
 * What one simulation found. Times are per step (the mean over {@code steps} simulated steps);
 * {@code imbalance} is the worst layer's max/mean forward expert compute time across GPUs and
 * {@code tokenImbalance} the worst layer's max/mean tokens received; {@code intraNodeBytes} and
 * {@code interNodeBytes} are the all-to-all bytes of one step; {@code activatedRoutedParamsPerToken}
 * counts the routed-expert weights a token passed through over all MoE layers, as routed, and
 * {@code activatedParamsPerToken} adds every other weight (ParamAccounting's convention);
 * {@code nodeTrafficBytes[a][b]} is the all-to-all bytes node a sent to node b in one step (the
 * diagonal holds traffic between GPUs of one node); {@code gpuTrafficBytes[i][j]} is the all-to-all
 * bytes GPU i sent to GPU j in one step, for clusters of at most
 * {@value #MAX_GPU_TRAFFIC_MATRIX} GPUs (empty beyond, to keep results small).
 */
public record SimResult(String placement, String fidelity, String costModel, long seed, int steps,
                        int microBatches, boolean dualBatchOverlap, int gpuCount, long tokensPerStep,
                        double stepTimeUs, List<Double> stepTimesUs, double tokensPerSecond, double imbalance,
                        double tokenImbalance, double meanUtilisation, double intraNodeBytes, double interNodeBytes,
                        double activatedRoutedParamsPerToken, double activatedParamsPerToken,
                        double peakMemoryBytes, List<GroupUsage> groupUsage, List<StageTime> stages,
                        List<LayerStats> layers, List<GpuStats> gpus, List<List<Double>> nodeTrafficBytes,
                        List<List<Double>> gpuTrafficBytes) {

    public static final int MAX_GPU_TRAFFIC_MATRIX = 64;

    public SimResult {
        stepTimesUs = List.copyOf(stepTimesUs);
        groupUsage = List.copyOf(groupUsage);
        stages = List.copyOf(stages);
        layers = List.copyOf(layers);
        gpus = List.copyOf(gpus);
        nodeTrafficBytes = nodeTrafficBytes.stream().map(List::copyOf).toList();
        gpuTrafficBytes = gpuTrafficBytes.stream().map(List::copyOf).toList();
    }

    /** The same result labelled with another placement name (a study names runs by strategy). */
    public SimResult withPlacement(String name) {
        return new SimResult(name, fidelity, costModel, seed, steps, microBatches, dualBatchOverlap, gpuCount,
                tokensPerStep, stepTimeUs, stepTimesUs, tokensPerSecond, imbalance, tokenImbalance, meanUtilisation,
                intraNodeBytes, interNodeBytes, activatedRoutedParamsPerToken, activatedParamsPerToken,
                peakMemoryBytes, groupUsage, stages, layers, gpus, nodeTrafficBytes, gpuTrafficBytes);
    }
}
