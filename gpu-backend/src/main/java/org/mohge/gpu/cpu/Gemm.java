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
    /** Column block: 4 rows of C of this width stay in L1. */
    static final int NB = 256;
    /** Reduction block: a {@code KB x NB} panel of B stays in L2. */
    static final int KB = 128;

    private Gemm() {
    }

    /**
     * {@code C[cOff + i*ldc + j] = (accumulate ? C : 0) + sum_p A[aOff + i*lda + p] * B[bOff + p*ldb + j]}.
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
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    block4(a, aOff + i * lda, lda, b, bOff, ldb, c, cOff + i * ldc, ldc, j0, j1, p0, p1);
                }
                for (; i < m; i++) {
                    block1(a, aOff + i * lda, b, bOff, ldb, c, cOff + i * ldc, j0, j1, p0, p1);
                }
            }
        }
    }

    private static void block4(float[] a, int aRow, int lda, float[] b, int bOff, int ldb, float[] c, int cRow, int ldc,
                               int j0, int j1, int p0, int p1) {
        int c0 = cRow;
        int c1 = cRow + ldc;
        int c2 = cRow + 2 * ldc;
        int c3 = cRow + 3 * ldc;
        for (int p = p0; p < p1; p++) {
            float a0 = a[aRow + p];
            float a1 = a[aRow + lda + p];
            float a2 = a[aRow + 2 * lda + p];
            float a3 = a[aRow + 3 * lda + p];
            int bRow = bOff + p * ldb;
            for (int j = j0; j < j1; j++) {
                float bv = b[bRow + j];
                c[c0 + j] += a0 * bv;
                c[c1 + j] += a1 * bv;
                c[c2 + j] += a2 * bv;
                c[c3 + j] += a3 * bv;
            }
        }
    }

    private static void block1(float[] a, int aRow, float[] b, int bOff, int ldb, float[] c, int cRow,
                               int j0, int j1, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            float a0 = a[aRow + p];
            int bRow = bOff + p * ldb;
            for (int j = j0; j < j1; j++) {
                c[cRow + j] += a0 * b[bRow + j];
            }
        }
    }
}
