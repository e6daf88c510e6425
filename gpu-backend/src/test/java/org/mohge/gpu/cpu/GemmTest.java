package org.mohge.gpu.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.gpu.api.FloatMatrix;

class GemmTest {

    @Test
    void blockedGemmIsBitIdenticalToTheTripleLoop() {
        int m = 37;
        int n = 600; // spans two column blocks
        int k = 261; // spans three reduction blocks
        float[] a = FloatMatrix.random(m, k, 1, 1).data();
        float[] b = FloatMatrix.random(k, n, 2, 1).data();
        float[] c = new float[m * n];
        Gemm.multiply(a, 0, k, b, 0, n, c, 0, n, m, n, k, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                assertThat(c[i * n + j]).as("C[%d][%d]", i, j).isEqualTo(s);
            }
        }
    }

    @Test
    void accumulateAddsAndOffsetsAndLeadingDimensionsAreHonoured() {
        // A = [[1,2],[3,4]] at offset 1 with lda 3; B = identity*2; C starts at 10 with ldc 4.
        float[] a = {9, 1, 2, 9, 3, 4};
        float[] b = {2, 0, 0, 2};
        float[] c = {7, 10, 10, 7, 7, 10, 10, 7};
        Gemm.multiply(a, 1, 3, b, 0, 2, c, 1, 4, 2, 2, 2, true);
        assertThat(c).containsExactly(7, 12, 14, 7, 7, 16, 18, 7);
    }
}
