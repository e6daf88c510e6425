package org.mohge.costmodel.parallel;

/**
 * Bytes one rank of pipeline stage {@code stage} needs (every rank of a stage alike under
 * balanced routing), by kind, against the GPU's capacity; {@code inFlightMicroBatches} is how many
 * micro-batches' activations the schedule keeps on it at its peak.
 */
public record RankMemory(int stage, double weightBytes, double gradientBytes, double optimizerBytes,
                         double activationBytes, double inFlightMicroBatches, double capacityBytes) {

    public double totalBytes() {
        return weightBytes + gradientBytes + optimizerBytes + activationBytes;
    }

    public boolean fits() {
        return totalBytes() <= capacityBytes;
    }
}
