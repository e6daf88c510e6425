package org.mohge.sim.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InclusionTest {

    /** q = (0.7, 0.2, 0.1), k = 2: 1.4 > 1 is capped to 1; the other unit of mass goes 2:1. */
    @Test
    void capsAtOneAndSpreadsTheRest() {
        double[] pi = Inclusion.fromPreferences(new double[] {0.7, 0.2, 0.1}, 2);
        assertThat(pi[0]).isEqualTo(1.0);
        assertThat(pi[1]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(pi[2]).isCloseTo(1.0 / 3, within(1e-12));
    }

    /** Systematic sampling takes exactly k distinct units, unit i with frequency pi_i. */
    @Test
    void systematicSamplingHitsTheInclusionProbabilities() {
        double[] pi = {0.9, 0.5, 0.3, 0.2, 0.1, 0.0, 0.0, 1.0};
        SelectionTable table = SelectionTable.flat(pi, 3);
        SplittableRandom rng = new SplittableRandom(1);
        int n = 200_000;
        double[] counts = new double[pi.length];
        double[] one = new double[pi.length];
        for (int t = 0; t < n; t++) {
            java.util.Arrays.fill(one, 0);
            table.route(rng, 0, one, 0);
            double taken = 0;
            for (int i = 0; i < one.length; i++) {
                assertThat(one[i]).isLessThanOrEqualTo(1.0);
                taken += one[i];
                counts[i] += one[i];
            }
            assertThat(taken).isEqualTo(3.0);
        }
        for (int i = 0; i < pi.length; i++) {
            // binomial standard error is at most sqrt(0.25 / n) ~ 0.0011; allow 5 of them
            assertThat(counts[i] / n).isCloseTo(pi[i], within(0.006));
        }
    }

    @Test
    void binomialMatchesMeanAndVarianceInBothRegimes() {
        SplittableRandom rng = new SplittableRandom(3);
        for (double[] np : new double[][] {{40, 0.1}, {100_000, 0.3}, {50, 0.97}}) {
            long n = (long) np[0];
            double p = np[1];
            int draws = 20_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < draws; i++) {
                long x = Multinomial.binomial(rng, n, p);
                assertThat(x).isBetween(0L, n);
                sum += x;
                sq += (double) x * x;
            }
            double mean = sum / draws;
            double var = sq / draws - mean * mean;
            double sd = Math.sqrt(n * p * (1 - p));
            assertThat(mean).isCloseTo(n * p, within(5 * sd / Math.sqrt(draws)));
            assertThat(var).isCloseTo(n * p * (1 - p), within(0.1 * n * p * (1 - p)));
        }
    }

    /**
     * The precomputed interval tables give the very same draws as a naive binary search over the
     * cumulative sums, for a grouped model with difficulty bins and for a heterogeneous flat router.
     */
    @Test
    void precomputedDrawsEqualBinarySearchDraws() {
        org.mohge.costmodel.arch.ModelSpec grouped = org.mohge.sim.Fixtures.model(512, 1,
                org.mohge.sim.Fixtures.fourGroups());
        org.mohge.costmodel.arch.ModelSpec hmoe = org.mohge.sim.Fixtures.model(512, 1,
                new org.mohge.costmodel.arch.HeterogeneousMoe(java.util.List.of(128, 256, 256, 512, 768, 1024, 1024,
                        2048, 2048, 4096), 3, 0, 0, null));
        RoutingSpec spec = new RoutingSpec(RoutingSource.SYNTHETIC, 0.3, 0.4, RoutingFidelity.EXACT, null, null, null, null, null, 0.5, null,
                0.3, null, null);
        for (org.mohge.costmodel.arch.ModelSpec model : java.util.List.of(grouped, hmoe)) {
            TableRouting routing = (TableRouting) RoutingModels.create(model,
                    org.mohge.sim.Fixtures.inference(100), spec, 4);
            SelectionTable table = routing.table(0, 0);
            assertThat(table.usesDifficulty()).isTrue();
            int experts = table.experts();
            SplittableRandom a = new SplittableRandom(9);
            SplittableRandom b = new SplittableRandom(9);
            SplittableRandom bins = new SplittableRandom(10);
            double[] fast = new double[experts];
            double[] slow = new double[experts];
            for (int t = 0; t < 100_000; t++) {
                int bin = bins.nextInt(DifficultyTable.BINS);
                java.util.Arrays.fill(fast, 0);
                java.util.Arrays.fill(slow, 0);
                table.route(a, bin, fast, 0);
                table.routeBySearch(b, bin, slow, 0);
                assertThat(fast).as("token %d", t).containsExactly(slow);
            }
        }
    }
}
