package org.mohge.costmodel.cost;

/** {@code C[m x n] = A[m x k] * B[k x n]}: m tokens, n outputs, k the reduction width. */
public record GemmShape(long m, long n, long k) {
    public GemmShape {
        if (m < 0 || n <= 0 || k <= 0) {
            throw new IllegalArgumentException("GEMM shape needs m >= 0, n > 0, k > 0, got " + m + "x" + n + "x" + k);
        }
    }

    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Bytes of A, B and C, each read or written once, at {@code bytesPerValue}. */
    public double bytes(int bytesPerValue) {
        return ((double) m * k + (double) k * n + (double) m * n) * bytesPerValue;
    }
}
