package org.mohge.costmodel.calibration;

/**
 * The calibrated time of one GEMM of shape m x n x k (bytes per value b):
 * <pre>
 *   t = launchUs + perGemmUs + flops / (peak * e(m) * e(n) * e(k)) + bytes / bandwidth,   e(x) = x / (x + xHalf)
 * </pre>
 * In a grouped launch the launch is paid once and {@code perGemmUs} once per expert GEMM (on a CPU
 * each expert is its own parallel loop; on a GPU this term fits to nearly zero).
 * Efficiency saturates in each dimension: few tokens (m), narrow outputs (n) or short reductions
 * (k) waste the machine, large ones approach {@code peak}; the byte term is the streaming of A, B
 * and C that a small GEMM cannot hide. {@code bandwidthGBps} also prices memory-bound kernels.
 * Seven parameters, all positive, fitted by least squares.
 */
public record GemmEfficiencyModel(double peakTflops, double mHalf, double nHalf, double kHalf, double bandwidthGBps,
                                  double launchUs, double perGemmUs) {

    static final int PARAMETERS = 7;

    /** Compute and streaming time of one GEMM, without the launch. */
    public double bodyUs(double m, double n, double k, int bytesPerValue) {
        double flops = 2.0 * m * n * k;
        double efficiency = m / (m + mHalf) * n / (n + nHalf) * k / (k + kHalf);
        double bytes = (m * k + k * n + m * n) * bytesPerValue;
        return perGemmUs + flops / (peakTflops * 1e6 * efficiency) + bytes / (bandwidthGBps * 1e3);
    }

    public double timeUs(double m, double n, double k, int bytesPerValue) {
        return launchUs + bodyUs(m, n, k, bytesPerValue);
    }

    double[] toArray() {
        return new double[] {peakTflops, mHalf, nHalf, kHalf, bandwidthGBps, launchUs, perGemmUs};
    }

    static GemmEfficiencyModel fromArray(double[] p) {
        return new GemmEfficiencyModel(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }
}
