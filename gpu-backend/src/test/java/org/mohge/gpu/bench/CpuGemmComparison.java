package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.cpu.Gemm;

/**
 * Not a test: the measurement behind "own GEMM loops, not EJML" (README). Single-threaded fp32
 * {@code C[m x n] = A[m x k] B[k x n]}: {@code cpu.Gemm} ({@code gemm_fp32_own}) against EJML's
 * {@code CommonOps_FDRM.mult} ({@code gemm_fp32_ejml}). EJML is a test-scoped dependency for this only.
 * Run: {@code java -cp target/classes:target/test-classes:<deps> org.mohge.gpu.bench.CpuGemmComparison}.
 */
public final class CpuGemmComparison {
    private CpuGemmComparison() {
    }

    public static void main(String[] args) {
        List<int[]> shapes = List.of(new int[] {64, 512, 512}, new int[] {256, 1024, 1024}, new int[] {64, 2048, 1024},
                new int[] {512, 1024, 2048});
        System.out.print(MeasurementJson.toTable(compare(shapes, 3, 5, 42)));
    }

    public static List<Measurement> compare(List<int[]> shapes, int warmups, int repeats, long seed) {
        List<Measurement> out = new ArrayList<>();
        String device = "cpu (1 thread, " + System.getProperty("os.arch") + ")";
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            FloatMatrix a = FloatMatrix.random(m, k, seed, 1);
            FloatMatrix b = FloatMatrix.random(k, n, seed + 1, 1);
            float[] c = new float[m * n];
            Timing own = Timing.of(warmups, repeats, () -> {
                long t0 = System.nanoTime();
                Gemm.multiply(a.data(), 0, k, b.data(), 0, n, c, 0, n, m, n, k, false);
                return (System.nanoTime() - t0) / 1e3;
            });
            FMatrixRMaj ea = FMatrixRMaj.wrap(m, k, a.data());
            FMatrixRMaj eb = FMatrixRMaj.wrap(k, n, b.data());
            FMatrixRMaj ec = new FMatrixRMaj(m, n);
            Timing ejml = Timing.of(warmups, repeats, () -> {
                long t0 = System.nanoTime();
                CommonOps_FDRM.mult(ea, eb, ec);
                return (System.nanoTime() - t0) / 1e3;
            });
            double flops = 2.0 * m * n * k;
            var shape = Measurement.shape("m", m, "n", n, "k", k);
            out.add(new Measurement(device, "cpu", "gemm_fp32_own", "fp32", shape, repeats, own.medianUs(), own.minUs(), flops));
            out.add(new Measurement(device, "cpu", "gemm_fp32_ejml", "fp32", shape, repeats, ejml.medianUs(), ejml.minUs(),
                    flops));
        }
        return out;
    }
}
