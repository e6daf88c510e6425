package org.mohge.cli.calibrate;

/** One GPU partition of a validation: what the cost model predicted and what the backend measured. */
public record PartitionCheck(int gpu, int experts, int activations, double predictedUs, double measuredUs) {
    /** Signed error of the prediction, in percent of the measurement. */
    public double errorPct() {
        return (predictedUs / measuredUs - 1) * 100;
    }
}
