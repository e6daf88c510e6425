package org.mohge.sim.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.Fixtures;

class RoutingLoadsTest {

    private static RoutingSpec spec(double sizePull, double groupBias, double sharpness, double variation,
                                    RoutingFidelity fidelity) {
        return new RoutingSpec(RoutingSource.SYNTHETIC, groupBias, 1.0, fidelity, null, null, null, sharpness, sizePull, null,
                null, variation, null, null);
    }

    /**
     * Two groups (4 x 256, 4 x 512), top-1 group, top-1 expert, no difficulty term, no noise:
     * group logits are sizePull * W/Wmax - groupBias * W/Wmax = (0.5, 1.0) for pull 1 and bias 0,
     * so the large group gets 1 / (1 + e^-0.5) = 0.62246 of the tokens, a quarter per expert.
     * With groupBias = 1 both logits are 0: an even split.
     */
    @Test
    void expectedLoadsByHand() {
        GroupedMoe moe = new GroupedMoe(List.of(new ExpertGroup(256, 4), new ExpertGroup(512, 4)), 1, 1, 0, 0,
                Activation.SWIGLU);
        ModelSpec model = Fixtures.model(512, 2, moe);
        WorkloadSpec workload = Fixtures.inference(10_000);
        LoadProfile loads = RoutingLoads.expectedLoads(model, workload, spec(1, 0, 0, 0, RoutingFidelity.EXACT), 1);
        double large = 1 / (1 + Math.exp(-0.5));
        assertThat(loads.layers()).hasSize(2);
        for (int e = 0; e < 8; e++) {
            double share = e < 4 ? (1 - large) / 4 : large / 4;
            assertThat(loads.layers().get(1).expertLoads().get(e)).isCloseTo(10_000 * share, within(1e-6));
        }
        LoadProfile even = RoutingLoads.expectedLoads(model, workload, spec(1, 1, 0, 0, RoutingFidelity.EXACT), 1);
        for (int e = 0; e < 8; e++) {
            assertThat(even.layers().get(0).expertLoads().get(e)).isCloseTo(10_000 / 8.0, within(1e-6));
        }
    }

    /** groupBias moves tokens to cheaper groups: the activated width falls as it grows. */
    @Test
    void groupBiasShiftsTowardCheaperGroups() {
        ModelSpec model = Fixtures.model(512, 1, Fixtures.fourGroups());
        WorkloadSpec workload = Fixtures.inference(1000);
        double previous = Double.MAX_VALUE;
        for (double bias : new double[] {0, 1, 2, 4}) {
            double[] loads = RoutingLoads.expectedLoads(model, workload, spec(1, bias, 4, 0.1, RoutingFidelity.EXACT), 5)
                    .layers().get(0).loads();
            double width = 0;
            for (int e = 0; e < loads.length; e++) {
                width += loads[e] * model.moe().expertShapes().get(e).hidden();
            }
            assertThat(width).isLessThan(previous);
            previous = width;
        }
    }

    /**
     * Exact (per token) and aggregate (multinomial) routing have the same expected counts: both
     * sample means over many micro-batches lie within 5 standard errors of the closed-form
     * expectation, for a grouped model with difficulty-dependent group choice.
     */
    @Test
    void exactAndAggregateHaveTheSameExpectedCounts() {
        ModelSpec model = Fixtures.model(512, 1, Fixtures.fourGroups());
        WorkloadSpec workload = Fixtures.inference(4096);
        RoutingSpec routing = new RoutingSpec(RoutingSource.SYNTHETIC, 0.5, 0.3, RoutingFidelity.EXACT, null, null, null, 4.0, 1.0, null, null,
                0.2, null, null);
        RoutingModel exact = RoutingModels.create(model, workload, routing, 11);
        RoutingModel aggregate = RoutingModels.create(model, workload, routing.withFidelity(RoutingFidelity.AGGREGATE), 11);
        double[] expected = exact.expectedInclusion(0);
        assertThat(aggregate.expectedInclusion(0)).containsExactly(expected, within(1e-15));
        long[] tokens = {1024, 1024, 1024, 1024};
        int batches = 100;
        double[] meanExact = new double[32];
        double[] meanAggregate = new double[32];
        for (int b = 0; b < batches; b++) {
            add(meanExact, exact.route(0, b, tokens)[0], batches);
            add(meanAggregate, aggregate.route(0, b, tokens)[0], batches);
        }
        for (int e = 0; e < 32; e++) {
            double mu = 4096 * expected[e];
            double se = Math.sqrt(4096 * expected[e] * (1 - expected[e]) / batches);
            assertThat(meanExact[e]).isCloseTo(mu, within(5 * se + 1e-9));
            assertThat(meanAggregate[e]).isCloseTo(mu, within(5 * se + 1e-9));
        }
    }

    private static void add(double[] mean, double[] counts, int batches) {
        int experts = mean.length;
        for (int i = 0; i < counts.length; i++) {
            mean[i % experts] += counts[i] / batches;
        }
    }

    /** Every token takes exactly k experts: per source GPU the copies are tokens x k, in both modes. */
    @Test
    void everyTokenTakesKExperts() {
        ModelSpec model = Fixtures.model(512, 3, Fixtures.fourGroups());
        WorkloadSpec workload = Fixtures.inference(3000);
        long[] tokens = {1000, 999, 1001};
        for (RoutingFidelity fidelity : RoutingFidelity.values()) {
            RoutingModel routing = RoutingModels.create(model, workload, spec(1, 0, 4, 0.1, fidelity), 3);
            double[][] counts = routing.route(0, 0, tokens);
            for (double[] layer : counts) {
                for (int src = 0; src < 3; src++) {
                    double sum = 0;
                    for (int e = 0; e < 32; e++) {
                        sum += layer[src * 32 + e];
                    }
                    assertThat(sum).isEqualTo(tokens[src] * 4.0);
                }
            }
        }
    }

    /** Intra-group balance 1 gives equal expected loads inside a group; 0 a Zipf-like spread. */
    @Test
    void intraGroupBalanceFlattensPopularity() {
        ModelSpec model = Fixtures.model(512, 1, Fixtures.fourGroups());
        WorkloadSpec workload = Fixtures.inference(1000);
        double[] even = RoutingLoads.expectedLoads(model, workload, spec(1, 0, 4, 0.1, RoutingFidelity.EXACT), 2)
                .layers().get(0).loads();
        for (int e = 1; e < 8; e++) {
            assertThat(even[e]).isCloseTo(even[0], within(1e-9));
        }
        RoutingSpec skewed = new RoutingSpec(RoutingSource.SYNTHETIC, 0.0, 0.0, RoutingFidelity.EXACT, null);
        double[] zipf = RoutingLoads.expectedLoads(model, workload, skewed, 2).layers().get(0).loads();
        double max = 0;
        double min = Double.MAX_VALUE;
        for (int e = 0; e < 8; e++) {
            max = Math.max(max, zipf[e]);
            min = Math.min(min, zipf[e]);
        }
        // Zipf 1.2 over 8 ranks: weights 1 .. 8^-1.2 = 0.082; top-2 capping keeps a wide spread.
        assertThat(max / min).isGreaterThan(5);
    }
}
