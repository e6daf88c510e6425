package org.mohge.gpu.cpu;

/**
 * Single-threaded float32 GEMM on row-major arrays, blocked for cache: {@code C[m x n] (+)= A[m x k] * B[k x n]}.
 *
 * <p>Every {@code C[i][j]} is accumulated from 0 (or its old value) over {@code p = 0..k-1} in
 * increasing order, one plain multiply-add at a time (no FMA, no reassociation, which Java forbids
 * the JIT to do), so the result is bit-identical to the textbook triple loop whatever the blocking
 * or the split of rows across threads.
 */
public final class Gemm {
    /** Column block: a row segment of C of this width stays in L1. */
    static final int NB = 512;
    /** Reduction block: a {@code KB x NB} panel of B stays in L2 while the rows of A stream past it. */
    static final int KB = 128;

    private Gemm() {
    }

    /**
     * {@code C[cOff + i*ldc + j] = (accumulate ? C : 0) + sum_p A[aOff + i*lda + p] * B[bOff + p*ldb + j]}.
     * The inner loop walks one row of C against four rows of B (four reduction steps per load and store
     * of C, applied one after another), a shape HotSpot's C2 vectorises; it measured about 1.3x faster
     * than updating four rows of C per reduction step.
     */
    public static void multiply(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                int m, int n, int k, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        for (int j0 = 0; j0 < n; j0 += NB) {
            int j1 = Math.min(n, j0 + NB);
            for (int p0 = 0; p0 < k; p0 += KB) {
                int p1 = Math.min(k, p0 + KB);
                for (int i = 0; i < m; i++) {
                    row(a, aOff + i * lda, b, bOff, ldb, c, cOff + i * ldc, j0, j1, p0, p1);
                }
            }
        }
    }

    private static void row(float[] a, int aRow, float[] b, int bOff, int ldb, float[] c, int cRow,
                            int j0, int j1, int p0, int p1) {
        int p = p0;
        for (; p + 4 <= p1; p += 4) {
            float a0 = a[aRow + p];
            float a1 = a[aRow + p + 1];
            float a2 = a[aRow + p + 2];
            float a3 = a[aRow + p + 3];
            int b0 = bOff + p * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            for (int j = j0; j < j1; j++) {
                float v = c[cRow + j];
                v += a0 * b[b0 + j];
                v += a1 * b[b1 + j];
                v += a2 * b[b2 + j];
                v += a3 * b[b3 + j];
                c[cRow + j] = v;
            }
        }
        for (; p < p1; p++) {
            float a0 = a[aRow + p];
            int b0 = bOff + p * ldb;
            for (int j = j0; j < j1; j++) {
                c[cRow + j] += a0 * b[b0 + j];
            }
        }
    }
}
