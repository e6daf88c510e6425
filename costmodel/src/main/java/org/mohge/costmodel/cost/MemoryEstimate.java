package org.mohge.costmodel.cost;

/** Bytes one GPU needs, by kind, against its HBM capacity. */
public record MemoryEstimate(int gpu, double weightBytes, double gradientBytes, double optimizerBytes,
                             double activationBytes, double kvCacheBytes, double capacityBytes) {

    public double totalBytes() {
        return weightBytes + gradientBytes + optimizerBytes + activationBytes + kvCacheBytes;
    }

    public double headroomBytes() {
        return capacityBytes - totalBytes();
    }

    /** Free share of capacity; negative when the GPU is over capacity. */
    public double headroomFraction() {
        return headroomBytes() / capacityBytes;
    }

    public boolean fits() {
        return totalBytes() <= capacityBytes;
    }
}
