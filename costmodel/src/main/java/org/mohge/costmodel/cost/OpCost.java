package org.mohge.costmodel.cost;

/** Predicted time of one operation with the work it does: FLOPs and bytes moved to or from HBM. */
public record OpCost(double timeUs, double flops, double bytes) {
    public static final OpCost ZERO = new OpCost(0, 0, 0);

    public OpCost plus(OpCost other) {
        return new OpCost(timeUs + other.timeUs, flops + other.flops, bytes + other.bytes);
    }

    public OpCost times(double factor) {
        return new OpCost(timeUs * factor, flops * factor, bytes * factor);
    }

    /** Achieved FLOP rate in TFLOP/s (0 for an op with no time). */
    public double tflops() {
        return timeUs <= 0 ? 0 : flops / (timeUs * 1e-6) / 1e12;
    }
}
