package org.mohge.sim.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.Fixtures;

class SyntheticRouterTest {
    private static final List<Integer> SIZES = List.of(256, 256, 512, 512, 1024, 1024, 2048, 2048);
    private static final ModelSpec HMOE = Fixtures.model(512, 1,
            new HeterogeneousMoe(SIZES, 2, 0, 0, Activation.SWIGLU));
    private static final WorkloadSpec WORKLOAD = Fixtures.inference(1000);

    private static RoutingSpec flat(double sharpness, double sizePull, double sizePenalty, double skew,
                                    double variation) {
        return new RoutingSpec(RoutingSource.SYNTHETIC, null, null, RoutingFidelity.EXACT, null, null, null, sharpness, sizePull, skew,
                sizePenalty, variation, null, null);
    }

    private static double[] loads(ModelSpec model, RoutingSpec spec) {
        return RoutingLoads.expectedLoads(model, WORKLOAD, spec, 3).layers().get(0).loads();
    }

    /**
     * HMoE without difficulty or noise: logit = (sizePull - sizePenalty) * h / 2048, top-2 of a
     * softmax; no probability exceeds 1/2, so each expert's load is 1000 * 2 * softmax.
     */
    @Test
    void hmoePullAndPenaltyByHand() {
        for (double penalty : new double[] {0, 2}) {
            double[] got = loads(HMOE, flat(0, 1, penalty, 0, 0));
            double sum = 0;
            for (int h : SIZES) {
                sum += Math.exp((1 - penalty) * h / 2048.0);
            }
            for (int e = 0; e < SIZES.size(); e++) {
                double expected = 1000 * 2 * Math.exp((1 - penalty) * SIZES.get(e) / 2048.0) / sum;
                assertThat(got[e]).isCloseTo(expected, within(1e-9));
            }
            if (penalty == 0) {
                assertThat(got[7]).isGreaterThan(got[0]); // pulled toward large experts
            } else {
                assertThat(got[7]).isLessThan(got[0]); // the P-Penalty pushes them to small ones
            }
        }
    }

    /** A flat router's skew: expected loads follow Zipf weights (rank + 1)^-skew in some order. */
    @Test
    void uniformSkewIsZipf() {
        ModelSpec model = Fixtures.model(512, 1, Fixtures.uniform(8, 256, 1));
        double[] got = loads(model, flat(4, 1, 0, 1.0, 0)).clone();
        java.util.Arrays.sort(got);
        double h = 0;
        for (int r = 1; r <= 8; r++) {
            h += 1.0 / r;
        }
        for (int r = 1; r <= 8; r++) {
            assertThat(got[8 - r]).isCloseTo(1000.0 / r / h, within(1e-9));
        }
    }

    private static double meanWidth(ModelSpec model, double[] loads) {
        double width = 0;
        double total = 0;
        for (int e = 0; e < loads.length; e++) {
            width += loads[e] * model.moe().expertShapes().get(e).hidden();
            total += loads[e];
        }
        return width / total;
    }

    /** Harder tokens go to larger groups: a hard domain mix activates wider experts than an easy one. */
    @Test
    void hardDomainsUseLargerGroups() {
        ModelSpec model = Fixtures.model(512, 1, Fixtures.fourGroups());
        RoutingSpec easy = new RoutingSpec(RoutingSource.SYNTHETIC, null, null, null, null, null,
                List.of(new DomainSpec("chat", 1, 2, 8)), null, null, null, null, 0.0, null, null);
        RoutingSpec hard = new RoutingSpec(RoutingSource.SYNTHETIC, null, null, null, null, null,
                List.of(new DomainSpec("math", 1, 8, 2)), null, null, null, null, 0.0, null, null);
        RoutingSpec mixed = new RoutingSpec(RoutingSource.SYNTHETIC, null, null, null, null, null,
                List.of(new DomainSpec("chat", 1, 2, 8), new DomainSpec("math", 1, 8, 2)), null, null, null, null,
                0.0, null, null);
        double e = meanWidth(model, loads(model, easy));
        double h = meanWidth(model, loads(model, hard));
        double m = meanWidth(model, loads(model, mixed));
        assertThat(h).isGreaterThan(m);
        assertThat(m).isGreaterThan(e);
    }

    /** The difficulty table reproduces the Beta's quantiles: Beta(1, 1) is uniform, bin b at (b + 0.5) / 64. */
    @Test
    void difficultyBinsAreQuantiles() {
        DifficultyTable uniform = DifficultyTable.of(new RoutingSpec(null, null, null, null, null,
                new DifficultySpec(1.0, 1.0), null, null, null, null, null, null, null, null));
        for (int b = 0; b < DifficultyTable.BINS; b++) {
            assertThat(uniform.value(b)).isCloseTo((b + 0.5) / DifficultyTable.BINS, within(1e-9));
        }
        DifficultyTable mixture = DifficultyTable.of(new RoutingSpec(null, null, null, null, null, null,
                List.of(new DomainSpec("a", 1, 1, 1), new DomainSpec("b", 3, 1, 1)), null, null, null, null, null,
                null, null));
        assertThat(mixture.value(10)).isCloseTo(10.5 / 64, within(1e-9));
    }

    /** Hot experts drift between steps only when drift > 0; layers differ by their own noise and ranks. */
    @Test
    void driftAndLayerVariation() {
        ModelSpec model = Fixtures.model(512, 2, Fixtures.fourGroups());
        RoutingSpec still = new RoutingSpec(RoutingSource.SYNTHETIC, null, 0.0, null, null, null, null, null, null, null, null,
                0.3, 0.0, null);
        RoutingSpec drifting = new RoutingSpec(RoutingSource.SYNTHETIC, null, 0.0, null, null, null, null, null, null, null,
                null, 0.3, 0.5, null);
        TableRouting a = (TableRouting) RoutingModels.create(model, WORKLOAD, still, 1);
        double[] a0 = a.table(0, 0).meanInclusion();
        double[] a1 = a.table(1, 0).meanInclusion();
        assertThat(a1).containsExactly(a0, within(0.0));
        TableRouting b = (TableRouting) RoutingModels.create(model, WORKLOAD, drifting, 1);
        double[] b0 = b.table(0, 0).meanInclusion();
        double[] b1 = b.table(1, 0).meanInclusion();
        assertThat(b0).containsExactly(a0, within(0.0));
        assertThat(b1).isNotEqualTo(b0);
        assertThat(a.table(1, 1).meanInclusion()).isNotEqualTo(a1);
    }
}
