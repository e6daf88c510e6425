package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.metrics.GpuStats;
import org.mohge.sim.metrics.LayerStats;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSource;
import org.mohge.sim.routing.RoutingSpec;

class SimulatorTest {

    /**
     * Two GPUs, one MoE layer of two experts (d = 64, expert hidden 128, top-1), expert e on GPU
     * e, 16 tokens replayed from a trace: GPU 0's tokens 0..5 and GPU 1's tokens 8..13 go to
     * expert 0, the rest to expert 1. So expert 0 gets 12 tokens, expert 1 gets 4; each GPU sends
     * and receives max(2, 6) x 128 bytes = 768 bytes per all-to-all. With GEMMs at 1 TFLOP/s and
     * free memory-bound kernels: expert time = 2 m (2 h d + h d) / 1e6 us = 0.589824 us (590 ns)
     * on GPU 0 and 0.196608 us (197 ns) on GPU 1; each all-to-all takes 768 / 1000 us. GPU 1
     * waits 590 - 197 = 393 ns for GPU 0 before the combine; GPU 0 never waits.
     */
    @Test
    void twoGpusHandComputed(@TempDir Path dir) throws IOException {
        StringBuilder trace = new StringBuilder();
        for (int t = 0; t < 16; t++) {
            int expert = (t % 8) < 6 ? 0 : 1;
            trace.append("{\"step\": 0, \"layer\": 0, \"token\": ").append(t).append(", \"experts\": [")
                    .append(expert).append("]}\n");
        }
        Path file = dir.resolve("trace.jsonl");
        Files.writeString(file, trace);
        ModelSpec model = Fixtures.model(64, 1, Fixtures.uniform(2, 128, 1));
        ClusterSpec cluster = Fixtures.cluster(1, 2);
        FixedCostModel costs = new FixedCostModel(cluster);
        RoutingSpec routing = new RoutingSpec(RoutingSource.TRACE, null, null, RoutingFidelity.EXACT, file.toString());
        SimResult r = Simulator.run(new SimulationInput(model, cluster, Fixtures.inference(16), routing,
                Placements.contiguous(model.moe(), 2), costs, 1));

        LayerOps ops = new LayerOps(model, costs);
        double others = ops.attention(8, FlopAccounting.causalMeanContext(1024)).timeUs() + ops.router(8).timeUs()
                + ops.lmHead(8).timeUs();
        double othersNs = Math.round(ops.attention(8, FlopAccounting.causalMeanContext(1024)).timeUs() * 1000)
                + Math.round(ops.router(8).timeUs() * 1000) + Math.round(ops.lmHead(8).timeUs() * 1000);
        assertThat(others).isPositive();
        assertThat(r.stepTimeUs()).isCloseTo((othersNs + 768 + 590 + 768) / 1000.0, within(1e-9));
        GpuStats gpu0 = r.gpus().get(0);
        GpuStats gpu1 = r.gpus().get(1);
        assertThat(gpu0.idleUs()).isCloseTo(0, within(1e-9));
        assertThat(gpu1.idleUs()).isCloseTo(0.393, within(1e-9));
        assertThat(gpu0.expertTimeUs()).isCloseTo(0.590, within(1e-9));
        assertThat(gpu1.expertTimeUs()).isCloseTo(0.197, within(1e-9));
        assertThat(gpu0.communicationUs()).isCloseTo(1.536, within(1e-9));
        assertThat(gpu0.tokensReceived()).isEqualTo(12);
        assertThat(gpu1.tokensReceived()).isEqualTo(4);
        assertThat(r.imbalance()).isCloseTo(590.0 / ((590.0 + 197.0) / 2), within(1e-12));
        assertThat(r.tokenImbalance()).isCloseTo(1.5, within(1e-12));
        // dispatch 2 + 6 copies off-GPU, combine the same back: 16 x 128 bytes, all inside the node
        assertThat(r.intraNodeBytes()).isEqualTo(2048);
        assertThat(r.interNodeBytes()).isZero();
        // GPU 0 sends 2 copies in the dispatch and 6 back in the combine; receives 6 and 2
        assertThat(gpu0.sentBytes()).isEqualTo(8 * 128);
        assertThat(gpu0.receivedBytes()).isEqualTo(8 * 128);
        assertThat(r.nodeTrafficBytes()).isEqualTo(List.of(List.of(2048.0)));
        assertThat(r.tokensPerSecond()).isCloseTo(16 / (r.stepTimeUs() * 1e-6), within(1e-6));
    }

    private static Placement withReplica(Placement base) {
        List<ExpertPlacement> experts = new ArrayList<>(base.experts());
        experts.set(0, new ExpertPlacement(0, List.of(new ExpertReplica(0, 0.5), new ExpertReplica(5, 0.5))));
        experts.set(9, new ExpertPlacement(9, List.of(new ExpertReplica(1, 0.25), new ExpertReplica(2, 0.75))));
        return new Placement("custom", base.gpuCount(), experts);
    }

    /**
     * Conservation: every routed copy (tokens x k per layer) is computed once on some GPU, and the
     * combine brings back exactly what the dispatch sent: a layer's all-to-all bytes are 2 x 2
     * (forward and backward) x the copies that left their source GPU x d x 2 bytes, counted here
     * from the routing draws themselves.
     */
    @Test
    void everyCopyIsComputedOnceAndComesBack() {
        ModelSpec model = Fixtures.model(256, 3, Fixtures.fourGroups());
        ClusterSpec cluster = Fixtures.cluster(2, 4);
        WorkloadSpec workload = Fixtures.training(8000, 2);
        RoutingSpec routing = RoutingSpec.defaults();
        Placement placement = withReplica(Placements.groupDecoupled(model.moe(), 8));
        SimResult r = Simulator.run(new SimulationInput(model, cluster, workload, routing, placement,
                new AnalyticalCostModel(cluster), 9));
        double perLayer = 8000.0 * 4;
        for (LayerStats layer : r.layers()) {
            assertThat(layer.meanTokensReceived() * 8).isCloseTo(perLayer, within(1e-6));
        }
        double received = r.gpus().stream().mapToDouble(GpuStats::tokensReceived).sum();
        assertThat(received).isCloseTo(perLayer * 3, within(1e-6));

        double sent = r.gpus().stream().mapToDouble(GpuStats::sentBytes).sum();
        double got = r.gpus().stream().mapToDouble(GpuStats::receivedBytes).sum();
        assertThat(sent).isCloseTo(r.intraNodeBytes() + r.interNodeBytes(), within(1e-3));
        assertThat(got).isCloseTo(sent, within(1e-3));
        double nodes = r.nodeTrafficBytes().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sum();
        assertThat(nodes).isCloseTo(sent, within(1e-3));
        assertThat(r.nodeTrafficBytes().get(0).get(1) + r.nodeTrafficBytes().get(1).get(0))
                .isCloseTo(r.interNodeBytes(), within(1e-3));

        RoutingModel again = RoutingModels.create(model, workload, routing, 9);
        int[] home = new int[32];
        for (int e = 0; e < 32; e++) {
            home[e] = placement.experts().get(e).replicas().get(0).gpu();
        }
        double[] offGpuBytes = new double[3];
        for (int mb = 0; mb < 2; mb++) {
            double[][] counts = again.route(0, mb, new long[] {500, 500, 500, 500, 500, 500, 500, 500});
            for (int l = 0; l < 3; l++) {
                for (int src = 0; src < 8; src++) {
                    for (int e = 0; e < 32; e++) {
                        double c = counts[l][src * 32 + e];
                        if (e == 0 || e == 9) {
                            // replicated: apportioned by share, largest remainder
                            double[] split = org.mohge.sim.traffic.TrafficAccountant.apportion(c, e == 0 ? new double[] {0.5, 0.5}
                                    : new double[] {0.25, 0.75});
                            int[] gpus = e == 0 ? new int[] {0, 5} : new int[] {1, 2};
                            for (int i = 0; i < 2; i++) {
                                offGpuBytes[l] += gpus[i] == src ? 0 : split[i] * 512;
                            }
                        } else if (home[e] != src) {
                            offGpuBytes[l] += c * 512;
                        }
                    }
                }
            }
        }
        for (int l = 0; l < 3; l++) {
            LayerStats layer = r.layers().get(l);
            assertThat(layer.intraNodeBytes() + layer.interNodeBytes()).isCloseTo(4 * offGpuBytes[l], within(1e-3));
        }
    }

    @Test
    void apportionKeepsWholeCopies() {
        assertThat(org.mohge.sim.traffic.TrafficAccountant.apportion(7, new double[] {0.5, 0.5})).containsExactly(4, 3);
        assertThat(org.mohge.sim.traffic.TrafficAccountant.apportion(10, new double[] {0.25, 0.75})).containsExactly(3, 7);
        assertThat(org.mohge.sim.traffic.TrafficAccountant.apportion(2.5, new double[] {0.2, 0.8})).containsExactly(0.5, 2.0);
    }

    private static SimResult mohge(String placement, double intraGroupBalance) {
        ModelSpec model = Fixtures.model(1024, 2, Fixtures.fourGroups());
        ClusterSpec cluster = Fixtures.cluster(1, 8);
        RoutingSpec routing = new RoutingSpec(RoutingSource.SYNTHETIC, 0.0, intraGroupBalance, RoutingFidelity.EXACT, null);
        return Simulator.run(new SimulationInput(model, cluster, Fixtures.inference(262_144), routing,
                Placements.builtIn(placement, model.moe(), 8), new AnalyticalCostModel(cluster), 42));
    }

    /**
     * The documented scenario (scenarios/examples/sim-mohge-4g-8xh100-contiguous.json and
     * sim-mohge-4g-8xh100-group-decoupled.json): a
     * 4-group MoHGE layer (8 experts each, 256 to 2048 wide, top-2 groups x top-2 experts) on 8
     * H100s, 262,144 tokens, default routing (tokens pulled toward the large groups). Contiguous
     * placement puts one group on two GPUs, so the GPUs of the busy wide groups do far more work;
     * group-decoupled allocation gives every GPU one expert of each group.
     */
    @Test
    void groupDecoupledBalancesWhatContiguousDoesNot() {
        SimResult contiguous = mohge(Placements.CONTIGUOUS, 1.0);
        SimResult decoupled = mohge(Placements.GROUP_DECOUPLED, 1.0);
        assertThat(contiguous.imbalance()).isGreaterThanOrEqualTo(1.3);
        assertThat(decoupled.imbalance()).isLessThanOrEqualTo(1.05);
        assertThat(decoupled.stepTimeUs()).isLessThan(contiguous.stepTimeUs());
    }

    /** With group-decoupled allocation, a stronger intra-group balance loss lowers the imbalance. */
    @Test
    void intraGroupBalanceLowersImbalance() {
        double skewed = mohge(Placements.GROUP_DECOUPLED, 0.0).imbalance();
        double half = mohge(Placements.GROUP_DECOUPLED, 0.5).imbalance();
        double even = mohge(Placements.GROUP_DECOUPLED, 1.0).imbalance();
        assertThat(skewed).isGreaterThan(half);
        assertThat(half).isGreaterThan(even);
    }

    /** Stage times add up: on the slowest-idle GPU, busy compute + links - overlap + idle = step. */
    @Test
    void idleTimeIsTheRestOfTheStep() {
        SimResult r = mohge(Placements.CONTIGUOUS, 1.0);
        for (GpuStats g : r.gpus()) {
            // No dual-batch overlap: compute and links never run at the same time except the shared
            // experts (none here), so busy + links + idle is the step time.
            assertThat(g.computeBusyUs() + g.communicationUs() + g.idleUs()).isCloseTo(r.stepTimeUs(), within(1e-6));
            assertThat(g.utilisation()).isCloseTo(g.computeBusyUs() / r.stepTimeUs(), within(1e-12));
        }
        // the GPUs holding the smallest group wait for those holding the widest
        assertThat(r.gpus().get(0).idleUs()).isGreaterThan(r.gpus().get(7).idleUs());
    }

    @Test
    void dualBatchOverlapHidesCommunication() {
        ModelSpec model = Fixtures.model(1024, 2, Fixtures.fourGroups());
        ClusterSpec cluster = Fixtures.cluster(2, 4);
        WorkloadSpec workload = Fixtures.training(65_536, 1);
        Placement placement = Placements.groupDecoupled(model.moe(), 8);
        SimResult plain = Simulator.run(new SimulationInput(model, cluster, workload, RoutingSpec.defaults(),
                placement, new AnalyticalCostModel(cluster), 5, new SimulationSpec(false, true)));
        SimResult overlapped = Simulator.run(new SimulationInput(model, cluster, workload, RoutingSpec.defaults(),
                placement, new AnalyticalCostModel(cluster), 5, new SimulationSpec(true, true)));
        assertThat(overlapped.dualBatchOverlap()).isTrue();
        assertThat(overlapped.stepTimeUs()).isLessThan(plain.stepTimeUs());
    }

    @Test
    void placementMustCoverEveryExpert() {
        ModelSpec model = Fixtures.model(256, 1, Fixtures.fourGroups());
        ClusterSpec cluster = Fixtures.cluster(1, 8);
        List<ExpertPlacement> experts = new ArrayList<>(Placements.contiguous(model.moe(), 8).experts());
        experts.remove(31);
        Placement missing = new Placement("file", 8, experts);
        assertThatThrownBy(() -> Simulator.run(new SimulationInput(model, cluster, Fixtures.inference(64),
                RoutingSpec.defaults(), missing, new AnalyticalCostModel(cluster), 1)))
                .isInstanceOf(SpecViolation.class)
                .hasMessage("placement places 31 experts, the model has 32 (expert 31 is unplaced)");
    }

    @Test
    void placementMustFitInMemory() {
        // 32 experts of d = 8192 and up to 16384 wide on one 80 GB GPU: about 16 GB of weights per
        // layer in bf16, over 100 GB for 8 layers.
        ModelSpec model = Fixtures.model(8192, 8, new org.mohge.costmodel.arch.UniformMoe(32, 16384, 2, 0, 0, null));
        ClusterSpec cluster = Fixtures.cluster(1, 1);
        assertThatThrownBy(() -> Simulator.run(new SimulationInput(model, cluster, Fixtures.inference(64),
                RoutingSpec.defaults().withFidelity(RoutingFidelity.AGGREGATE), Placements.contiguous(model.moe(), 1),
                new AnalyticalCostModel(cluster), 1)))
                .isInstanceOf(SpecViolation.class)
                .hasMessageStartingWith("placement needs ")
                .hasMessageContaining("on GPU 0");
    }
}
