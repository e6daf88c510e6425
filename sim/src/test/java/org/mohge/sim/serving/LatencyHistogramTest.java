package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Streaming percentiles against exact order statistics of the same values. */
class LatencyHistogramTest {
    @Test
    void percentilesWithinHalfAPercentOfSortedValues() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] values = new double[100_000];
        LatencyHistogram h = new LatencyHistogram();
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 * Math.exp(1.5 * Gaussian.next(rng));
            h.add(values[i]);
            sum += values[i];
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(h.quantileUs(q)).isCloseTo(exact, Percentage.withPercentage(0.5));
        }
        assertThat(h.meanUs()).isCloseTo(sum / values.length, Percentage.withPercentage(1e-9));
        List<CdfPoint> cdf = h.cdfMs(10);
        assertThat(cdf).hasSizeLessThanOrEqualTo(10);
        assertThat(cdf.get(cdf.size() - 1).fraction()).isEqualTo(1.0);
        // The first point: at least 10% of the values at or under it, and its value close to the 10th percentile.
        assertThat(cdf.get(0).fraction()).isGreaterThanOrEqualTo(0.1);
        assertThat(cdf.get(0).valueMs() * 1e3).isCloseTo(values[9_999], Percentage.withPercentage(0.6));
    }
}
