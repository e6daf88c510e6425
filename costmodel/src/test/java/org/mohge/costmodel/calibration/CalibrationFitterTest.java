package org.mohge.costmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationFitterTest {
    private static final GemmEfficiencyModel TRUTH = new GemmEfficiencyModel(0.4, 24, 48, 96, 20, 12, 3);
    private static final GemmEfficiencyModel START = new GemmEfficiencyModel(1.0, 8, 8, 8, 50, 5, 1);
    private static final CalibrationFitter FITTER = new CalibrationFitter();

    /** "Measured" GEMMs from a known model by hand: launch 12 + per-GEMM 3 + flops / (peak * efficiency) + bytes / bw. */
    private static double truthUs(int m, int n, int k) {
        double efficiency = m / (m + 24.0) * n / (n + 48.0) * k / (k + 96.0);
        return 15 + 2.0 * m * n * k / (0.4e6 * efficiency) + (m * (double) k + (double) k * n + (double) m * n) * 4 / 20e3;
    }

    private static List<Measurement> sample(double noise) {
        SplittableRandom random = new SplittableRandom(7);
        List<Measurement> data = new ArrayList<>();
        for (int m : new int[] {4, 16, 64, 256, 1024}) {
            for (int n : new int[] {64, 256, 1024}) {
                for (int k : new int[] {64, 512, 2048}) {
                    double t = truthUs(m, n, k) * (1 + noise * (2 * random.nextDouble() - 1));
                    data.add(new Measurement("test-cpu", "cpu", "gemm", "fp32", Map.of("m", m, "n", n, "k", k), 5, t, t,
                            2.0 * m * n * k));
                }
            }
        }
        return data;
    }

    @Test
    void predictorMatchesTheHandFormula() {
        assertThat(FITTER.predictUs(TRUTH, sample(0).get(10))).isCloseTo(sample(0).get(10).medianUs(), within(1e-6));
    }

    @Test
    void recoversTheParametersOfNoiselessData() {
        GemmEfficiencyModel fit = FITTER.fit(sample(0), START);
        assertThat(fit.peakTflops()).isCloseTo(0.4, within(0.004));
        assertThat(fit.mHalf()).isCloseTo(24, within(0.5));
        assertThat(fit.kHalf()).isCloseTo(96, within(2.0));
        // one GEMM per launch: only launch + per-GEMM (15 us) is identifiable from these data
        assertThat(fit.launchUs() + fit.perGemmUs()).isCloseTo(15, within(0.5));
    }

    @Test
    void heldOutErrorReflectsTheNoise() {
        List<Measurement> data = sample(0.02);
        FitQuality q = FITTER.quality(data, FITTER.fit(data, START), 5);
        assertThat(q.folds()).isEqualTo(5);
        assertThat(q.rSquaredLog()).isGreaterThan(0.99);
        // the noise is uniform in +-2%: median |error| near 1%, never far beyond 2% plus fit error
        assertThat(q.heldOutMedianAbsErrorPct()).isBetween(0.2, 2.0);
        assertThat(q.heldOutMaxAbsErrorPct()).isLessThan(5.0);
    }

    @Test
    void expertFfnIsPricedAsTwoGroupedGemmsAndAnActivation() {
        // 2 experts, 8 tokens each, d = 16, W = 32, fp32, ideal-ish model with no launch:
        GemmEfficiencyModel model = new GemmEfficiencyModel(1.0, 1e-9, 1e-9, 1e-9, 1.0, 0.0, 0.0);
        Measurement ffn = new Measurement("cpu", "cpu", "expert_ffn", "fp32",
                Map.of("experts", 2, "tokensPerExpert", 8, "modelHidden", 16, "expertHidden", 32), 1, 1, 1, 0);
        // up: 2 x GEMM 8 x 64 x 16; down: 2 x GEMM 8 x 16 x 32; activation reads gate+up, writes h: 3 x 8 x 32 x 4 B
        double upFlops = 2 * 2.0 * 8 * 64 * 16;
        double downFlops = 2 * 2.0 * 8 * 16 * 32;
        double upBytes = 2 * (8 * 16 + 16 * 64 + 8 * 64) * 4.0;
        double downBytes = 2 * (8 * 32 + 32 * 16 + 8 * 16) * 4.0;
        double actBytes = 2 * 3 * 8 * 32 * 4.0;
        double expected = (upFlops + downFlops) / 1e6 + (upBytes + downBytes + actBytes) / 1e3;
        assertThat(FITTER.predictUs(model, ffn)).isCloseTo(expected, within(1e-6));
    }
}
