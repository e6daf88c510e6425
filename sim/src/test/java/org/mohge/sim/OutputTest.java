package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.LayerStage;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.sim.core.Op;
import org.mohge.sim.core.OpKind;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.DomainSpec;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSource;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.trace.ChromeTraceWriter;

class OutputTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static SimulationInput input(long seed) {
        ModelSpec model = Fixtures.model(512, 3, Fixtures.fourGroups());
        ClusterSpec cluster = Fixtures.cluster(2, 4);
        RoutingSpec routing = new RoutingSpec(RoutingSource.SYNTHETIC, 0.5, 0.6, RoutingFidelity.EXACT, null, null,
                java.util.List.of(new DomainSpec("chat", 2, 2, 5), new DomainSpec("code", 1, 5, 2)), null, null,
                null, null, 0.2, 0.1, 2);
        return new SimulationInput(model, cluster, Fixtures.training(20_000, 2), routing,
                Placements.groupDecoupled(model.moe(), 8), new AnalyticalCostModel(cluster), seed);
    }

    /** Same scenario and seed: byte-identical JSON, also when two runs share the machine. */
    @Test
    void sameSeedSameBytes() throws Exception {
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> json(Simulator.run(input(7))));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> json(Simulator.run(input(7))));
        String first = a.get();
        assertThat(b.get()).isEqualTo(first);
        assertThat(json(Simulator.run(input(7)))).isEqualTo(first);
        assertThat(json(Simulator.run(input(8)))).isNotEqualTo(first);
        JsonNode node = JSON.readTree(first);
        assertThat(node.get("stepTimeUs").isNumber()).isTrue();
        assertThat(node.get("tokensPerSecond").isNumber()).isTrue();
        assertThat(node.get("imbalance").isNumber()).isTrue();
        assertThat(node.get("stepTimesUs")).hasSize(2);
    }

    private static String json(SimResult r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The trace has one process per GPU, compute ops on thread 0 and all-to-alls on thread 1. */
    @Test
    void chromeTraceHasComputeAndCommunicationTracks() throws Exception {
        SimRun run = Simulator.runWithSchedule(input(3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChromeTraceWriter.write(run.firstStep(), input(3).cluster(), out);
        JsonNode events = JSON.readTree(out.toByteArray()).get("traceEvents");
        Set<Integer> processes = new HashSet<>();
        int complete = 0;
        for (JsonNode e : events) {
            if (e.get("ph").asText().equals("M")) {
                if (e.get("name").asText().equals("process_name")) {
                    processes.add(e.get("pid").asInt());
                }
                continue;
            }
            complete++;
            String name = e.get("name").asText().replace(" bwd", "");
            boolean comm = name.equals(LayerStage.DISPATCH.label()) || name.equals(LayerStage.COMBINE.label());
            assertThat(e.get("tid").asInt()).isEqualTo(comm ? 1 : 0);
            assertThat(e.get("dur").asDouble()).isPositive();
        }
        assertThat(processes).hasSize(8);
        int expected = 0;
        for (Op op : run.firstStep().program().ops()) {
            for (int g = 0; g < 8; g++) {
                if (run.firstStep().end(op.id(), g) > run.firstStep().start(op.id(), g)) {
                    expected++;
                }
            }
            if (op.kind() == OpKind.COLLECTIVE) {
                assertThat(op.stage()).isIn(LayerStage.DISPATCH, LayerStage.COMBINE);
            }
        }
        assertThat(complete).isEqualTo(expected);
    }
}
