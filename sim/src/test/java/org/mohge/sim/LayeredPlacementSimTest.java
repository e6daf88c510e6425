package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.rebalance.Rebalance;
import org.mohge.sim.rebalance.RebalanceLog;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSource;
import org.mohge.sim.routing.RoutingSpec;

/**
 * Two GPUs, two MoE layers of four experts (d = 64, hidden 128, top-1), 16 tokens replayed from a
 * trace: in MoE layer 0 token t picks expert t mod 2 (8 tokens each for experts 0 and 1); in MoE
 * layer 1 it picks expert 0 for even t and expert 2 for odd t (8 each for experts 0 and 2).
 * Map A puts experts 0, 2 on GPU 0 and 1, 3 on GPU 1; map B (contiguous) puts 0, 1 on GPU 0 and
 * 2, 3 on GPU 1. By hand, tokens received per GPU (GPU 0, GPU 1) and max/mean:
 * <pre>
 *              layer 0         layer 1
 *   A for all  (8, 8)  1.0     (16, 0) 2.0
 *   B for all  (16, 0) 2.0     (8, 8)  1.0
 *   A then B   (8, 8)  1.0     (8, 8)  1.0
 * </pre>
 * Expert time is linear in tokens under the fixed cost model (one expert of the same size per
 * busy GPU), so the expert-time imbalance equals the token imbalance.
 */
class LayeredPlacementSimTest {

    /** The class comment's step: 16 tokens, layer 0 on experts 0 and 1, layer 1 on experts 0 and 2, alternating. */
    private static Path twoLayerTrace(Path dir) throws IOException {
        StringBuilder trace = new StringBuilder();
        for (int t = 0; t < 16; t++) {
            trace.append("{\"step\": 0, \"layer\": 0, \"token\": ").append(t).append(", \"experts\": [")
                    .append(t % 2).append("]}\n");
            trace.append("{\"step\": 0, \"layer\": 1, \"token\": ").append(t).append(", \"experts\": [")
                    .append(t % 2 == 0 ? 0 : 2).append("]}\n");
        }
        Path file = dir.resolve("trace.jsonl");
        Files.writeString(file, trace);
        return file;
    }

    @Test
    void eachMoeLayerRoutesUnderItsOwnMap(@TempDir Path dir) throws IOException {
        Path file = twoLayerTrace(dir);
        ModelSpec model = Fixtures.model(64, 2, Fixtures.uniform(4, 128, 1));
        ClusterSpec cluster = Fixtures.cluster(1, 2);
        RoutingSpec routing = new RoutingSpec(RoutingSource.TRACE, null, null, RoutingFidelity.EXACT, file.toString());
        Placement a = map("a", 0, 1, 0, 1);
        Placement b = map("b", 0, 0, 1, 1);

        SimResult onlyA = run(model, cluster, routing, LayeredPlacement.single(a));
        SimResult onlyB = run(model, cluster, routing, LayeredPlacement.single(b));
        SimResult perLayer = run(model, cluster, routing, LayeredPlacement.of("mixed", List.of(0, 1), List.of(a, b)));

        assertThat(tokenImbalance(onlyA)).containsExactly(1.0, 2.0);
        assertThat(tokenImbalance(onlyB)).containsExactly(2.0, 1.0);
        assertThat(tokenImbalance(perLayer)).containsExactly(1.0, 1.0);
        assertThat(perLayer.layers().get(0).expertImbalance()).isCloseTo(1.0, within(1e-12));
        assertThat(perLayer.layers().get(1).expertImbalance()).isCloseTo(1.0, within(1e-12));
        assertThat(onlyA.layers().get(1).expertImbalance()).isCloseTo(2.0, within(1e-12));
        // GPU 0 receives 8 + 8 copies under the per-layer maps, 8 + 16 under map A alone
        assertThat(perLayer.gpus().get(0).tokensReceived()).isEqualTo(16);
        assertThat(onlyA.gpus().get(0).tokensReceived()).isEqualTo(24);
        // balanced layers cannot be slower than the same layers with one GPU doing all the work
        assertThat(perLayer.stepTimeUs()).isLessThan(onlyA.stepTimeUs());
    }

    /**
     * Re-placement between steps: two steps of the same trace (layer 0: experts 0 and 1, 8 tokens
     * each; layer 1: experts 0 and 2, 8 each), starting from map A for every layer, re-placed after
     * step 0 to A for layer 0 and B for layer 1. The rebalancer sees the copies per step of step 0:
     * layer 0 (8, 8, 0, 0), layer 1 (8, 0, 8, 0). Layer 1's GPU 0 receives 16 copies in step 0 (A)
     * and 8 in step 1 (B): 12 per step; its token imbalance over the two steps is 24 / (32 / 2) = 1.5.
     */
    @Test
    void rebalancerSeesTheObservedLoadsAndItsMapsRouteTheNextSteps(@TempDir Path dir) throws IOException {
        Path file = twoLayerTrace(dir);
        ModelSpec model = Fixtures.model(64, 2, Fixtures.uniform(4, 128, 1));
        ClusterSpec cluster = Fixtures.cluster(1, 2);
        RoutingSpec routing = new RoutingSpec(RoutingSource.TRACE, null, null, RoutingFidelity.EXACT, file.toString(), null, null, null, null,
                null, null, null, null, 2);
        Placement a = map("a", 0, 1, 0, 1);
        Placement b = map("b", 0, 0, 1, 1);
        List<List<Double>> seen = new ArrayList<>();
        Simulator.RebalancedRun run = Simulator.runWithRebalancing(new SimulationInput(model, cluster,
                Fixtures.inference(16), routing, LayeredPlacement.single(a), new FixedCostModel(cluster), 1, null), 1,
                (afterStep, observed, current) -> {
                    observed.layers().forEach(l -> seen.add(l.expertLoads()));
                    assertThat(current.placementFor(1).experts()).isEqualTo(a.experts());
                    return new Rebalance(LayeredPlacement.of("next", List.of(0, 1), List.of(a, b)), 2, 1000, 5);
                });
        assertThat(seen).containsExactly(List.of(8.0, 8.0, 0.0, 0.0), List.of(8.0, 0.0, 8.0, 0.0));
        // one re-placement (after step 0; none after the last step)
        assertThat(run.log().entries()).containsExactly(new RebalanceLog.Entry(0, 2, 1000, 5));
        SimResult r = run.run().result();
        assertThat(r.layers().get(0).tokenImbalance()).isCloseTo(1.0, within(1e-12));
        assertThat(r.layers().get(1).tokenImbalance()).isCloseTo(1.5, within(1e-12));
        assertThat(r.layers().get(1).maxTokensReceived()).isCloseTo(12.0, within(1e-12));
    }

    /** Experts 0..3 on the given GPUs, one copy each. */
    private static Placement map(String name, int... gpuOfExpert) {
        List<ExpertPlacement> experts = new ArrayList<>();
        for (int e = 0; e < gpuOfExpert.length; e++) {
            experts.add(new ExpertPlacement(e, List.of(new ExpertReplica(gpuOfExpert[e], 1.0))));
        }
        return new Placement(name, 2, experts);
    }

    private static SimResult run(ModelSpec model, ClusterSpec cluster, RoutingSpec routing, LayeredPlacement p) {
        return Simulator.run(new SimulationInput(model, cluster, Fixtures.inference(16), routing, p,
                new FixedCostModel(cluster), 1, null));
    }

    private static List<Double> tokenImbalance(SimResult r) {
        return r.layers().stream().map(l -> l.tokenImbalance()).toList();
    }
}
