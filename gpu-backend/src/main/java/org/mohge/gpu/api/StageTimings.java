package org.mohge.gpu.api;

import java.util.List;

/**
 * Per-stage wall times of one forward pass, in microseconds. {@code expertUs[e]} is the time spent
 * on routed expert {@code e} (busy time summed over the tasks that ran it on CPU; kernel time on
 * CUDA when experts are launched separately, else its FLOP share of the grouped GEMM time).
 * {@code partitions} is empty unless the pass was given a placement.
 */
public record StageTimings(double routerUs, double permutationUs, double expertsUs, double sharedUs, double combineUs,
                           double totalUs, double[] expertUs, List<PartitionTiming> partitions) {

    public StageTimings {
        partitions = List.copyOf(partitions);
    }
}
