package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.LayerCostBreakdown;
import org.mohge.costmodel.cost.LayerCostEstimator;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSource;
import org.mohge.sim.routing.RoutingSpec;

/**
 * With even routing and many tokens the simulation must agree with the costmodel's mean-field
 * estimate (an independent computation from the same price list): same expert time per GPU and,
 * with nothing to overlap and no stragglers, the same step time.
 */
class CostAgreementTest {

    @Test
    void evenRoutingMatchesTheMeanFieldEstimate() {
        ModelSpec model = Fixtures.model(1024, 4, Fixtures.uniform(16, 512, 2));
        ClusterSpec cluster = Fixtures.cluster(2, 4);
        WorkloadSpec workload = Fixtures.inference(1 << 20);
        Placement placement = Placements.contiguous(model.moe(), 8);
        AnalyticalCostModel costs = new AnalyticalCostModel(cluster);
        RoutingSpec even = new RoutingSpec(RoutingSource.SYNTHETIC, null, null, RoutingFidelity.AGGREGATE, null, null, null, null, null, 0.0,
                null, 0.0, null, null);
        SimResult sim = Simulator.run(new SimulationInput(model, cluster, workload, even, placement, costs, 3));

        LayerOps ops = new LayerOps(model, costs);
        LayerCostBreakdown layer = new LayerCostEstimator(ops).estimate(workload, placement,
                model.moe().defaultExpertShares());
        double meanExpertUs = 0;
        for (double t : layer.expertTimeUsPerGpu()) {
            meanExpertUs += t / 8;
        }
        for (var l : sim.layers()) {
            assertThat(l.meanExpertTimeUs()).isCloseTo(meanExpertUs, within(0.01 * meanExpertUs));
            assertThat(l.expertImbalance()).isLessThan(1.02);
        }
        double tokens = layer.tokensPerGpu();
        double expectedStepUs = model.moeLayers() * layer.totalUs() + ops.lmHead(tokens).timeUs();
        assertThat(sim.stepTimeUs()).isCloseTo(expectedStepUs, within(0.02 * expectedStepUs));
    }
}
