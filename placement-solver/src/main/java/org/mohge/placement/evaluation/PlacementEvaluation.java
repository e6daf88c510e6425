package org.mohge.placement.evaluation;

/**
 * A placement judged by the cost model, per micro-batch and forward pass, averaged over the
 * profiled layers.
 *
 * @param strategy             name of the strategy that produced the placement
 * @param gpuTimeUs            predicted expert time (grouped GEMMs) of each GPU
 * @param maxGpuTimeUs         the slowest GPU's expert time: the expert stage's critical path
 * @param meanGpuTimeUs        mean expert time over GPUs
 * @param imbalance            {@code maxGpuTimeUs / meanGpuTimeUs} (1 = perfectly balanced)
 * @param layerTimeUs          predicted time of the whole MoE layer (all stages, with backward for training)
 * @param memoryBytes          bytes each GPU needs (weights, gradients, optimizer, activations)
 * @param minHeadroomBytes     smallest free HBM over GPUs (negative: some GPU is over capacity)
 * @param fitsMemory           every GPU fits in HBM
 * @param maxCopiesOnGpu       most expert copies one GPU holds
 * @param extraCopies          copies beyond one per expert
 * @param withinLimits         {@code extraCopies <= spareSlots} and {@code maxCopiesOnGpu <= maxExpertsPerGpu}
 * @param interNodeBytes       expected bytes crossing nodes in dispatch and combine
 * @param coActivationBytes    extra inter-node bytes of co-activated expert pairs split over nodes
 *                             (0 without co-activation weights)
 * @param bounds               lower bounds on {@code maxGpuTimeUs}
 * @param gapToLowerBound      {@code maxGpuTimeUs / bounds.boundUs() - 1}
 */
public record PlacementEvaluation(String strategy, double[] gpuTimeUs, double maxGpuTimeUs, double meanGpuTimeUs,
                                  double imbalance, double layerTimeUs, double[] memoryBytes, double minHeadroomBytes,
                                  boolean fitsMemory, int maxCopiesOnGpu, int extraCopies, boolean withinLimits,
                                  double interNodeBytes, double coActivationBytes, LowerBounds bounds,
                                  double gapToLowerBound) {

    public PlacementEvaluation {
        gpuTimeUs = gpuTimeUs.clone();
        memoryBytes = memoryBytes.clone();
    }

    @Override
    public double[] gpuTimeUs() {
        return gpuTimeUs.clone();
    }

    @Override
    public double[] memoryBytes() {
        return memoryBytes.clone();
    }

    /** Fits in memory and within the slot limits. */
    public boolean feasible() {
        return fitsMemory && withinLimits;
    }

    public double maxMemoryBytes() {
        double max = 0;
        for (double b : memoryBytes) {
            max = Math.max(max, b);
        }
        return max;
    }

    /**
     * True when this placement makes the layer faster: feasible first, then a shorter layer time,
     * then (for layer times equal to 1e-9) a smaller max GPU time.
     */
    public boolean fasterLayerThan(PlacementEvaluation other) {
        return ahead(other, layerTimeUs, other.layerTimeUs, maxGpuTimeUs, other.maxGpuTimeUs);
    }

    /**
     * True when this placement is better: feasible first, then a smaller max GPU time, then (for
     * max GPU times equal to 1e-9) a smaller layer time.
     */
    public boolean betterThan(PlacementEvaluation other) {
        return ahead(other, maxGpuTimeUs, other.maxGpuTimeUs, layerTimeUs, other.layerTimeUs);
    }

    /** Feasible first, then the smaller {@code first} (equal within 1e-9), then the smaller {@code then}. */
    private boolean ahead(PlacementEvaluation other, double first, double otherFirst, double then, double otherThen) {
        if (feasible() != other.feasible()) {
            return feasible();
        }
        if (Math.abs(first - otherFirst) > 1e-9 * Math.max(first, otherFirst)) {
            return first < otherFirst;
        }
        return then < otherThen;
    }
}
