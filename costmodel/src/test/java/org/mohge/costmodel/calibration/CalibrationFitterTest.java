package org.mohge.costmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationFitterTest {
    private static final GemmEfficiencyModel TRUTH = new GemmEfficiencyModel(0.4, 24, 48, 96, 20, 15);
    private static final GemmEfficiencyModel START = new GemmEfficiencyModel(1.0, 8, 8, 8, 50, 5);

    /** Synthetic "measurements" drawn from a known model with +-2% multiplicative noise. */
    private static List<Measurement> sample(double noise) {
        SplittableRandom random = new SplittableRandom(7);
        List<Measurement> data = new ArrayList<>();
        for (int m : new int[] {4, 16, 64, 256, 1024}) {
            for (int n : new int[] {64, 256, 1024}) {
                for (int k : new int[] {64, 512, 2048}) {
                    double t = TRUTH.timeUs(m, n, k, 4) * (1 + noise * (2 * random.nextDouble() - 1));
                    data.add(new Measurement("test-cpu", "gemm", m, n, k, 1, "fp32", 5, t, t));
                }
            }
        }
        return data;
    }

    @Test
    void recoversTheParametersOfNoiselessData() {
        GemmEfficiencyModel fit = CalibrationFitter.fit(sample(0), 4, START);
        assertThat(fit.peakTflops()).isCloseTo(0.4, within(0.004));
        assertThat(fit.mHalf()).isCloseTo(24, within(0.5));
        assertThat(fit.kHalf()).isCloseTo(96, within(2.0));
        assertThat(fit.launchUs()).isCloseTo(15, within(0.5));
    }

    @Test
    void heldOutErrorReflectsTheNoise() {
        FitQuality q = CalibrationFitter.quality(sample(0.02), 4, START, 5);
        assertThat(q.folds()).isEqualTo(5);
        assertThat(q.rSquaredLog()).isGreaterThan(0.99);
        // the noise is uniform in +-2%: median |error| near 1%, never far beyond 2% plus fit error
        assertThat(q.heldOutMedianAbsErrorPct()).isBetween(0.2, 2.0);
        assertThat(q.heldOutMaxAbsErrorPct()).isLessThan(5.0);
    }
}
