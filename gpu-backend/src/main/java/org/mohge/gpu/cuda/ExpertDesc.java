package org.mohge.gpu.cuda;

/**
 * One expert of a grouped GEMM launch, as the kernels' {@code struct ExpertDesc} (48 bytes):
 * element offsets of its first weight matrix {@code b0}, second {@code b1} (gate/up pairs only), its
 * first A row and first C row, and its shape {@code C[rows x n] = A[rows x k] * B[k x n]}.
 */
public record ExpertDesc(long b0, long b1, long a, long c, int rows, int k, int n) {
    public static final int BYTES = 48;

    public ExpertDesc {
        if (rows < 0 || k <= 0 || n <= 0) {
            throw new IllegalArgumentException("bad shape rows=" + rows + " k=" + k + " n=" + n);
        }
        if (k % 8 != 0 || n % 8 != 0) {
            throw new IllegalArgumentException("the CUDA grouped GEMM needs k and n multiples of 8 (16-byte cp.async), got k="
                    + k + " n=" + n);
        }
        if (b0 % 8 != 0 || b1 % 8 != 0 || a % 8 != 0 || c % 8 != 0) {
            throw new IllegalArgumentException("offsets must be multiples of 8 elements");
        }
    }

    public double flops() {
        return 2.0 * rows * k * n;
    }
}
