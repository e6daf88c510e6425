package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/**
 * {@code cost} and {@code simulate} with one map per MoE layer, on the 4-layer example model (32
 * experts, 8 GPUs). Map A is group-decoupled: every GPU holds 2 small, 1 medium and 1 large expert,
 * so under mean-field routing (equal shares within a group) every GPU does the same work and the
 * expert imbalance is exactly 1. Map B puts all 32 experts on GPU 0: the other 7 GPUs do no expert
 * work, so max/mean = t / (t / 8) = 8 exactly. The per-layer file lists A for MoE layer 0 and B from
 * layer 1, so layer 0 uses A and layers 1-3 use B.
 */
class LayeredPlacementCommandsTest {
    private static final Path SCENARIO = Path.of("..", "scenarios", "examples", "place-skewed-mohge-2x4xh100.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path mapA;
    private Path mapB;
    private Path layered;

    @BeforeEach
    void writeMaps() throws IOException {
        mapA = dir.resolve("a.json");
        CliRunner place = CliRunner.run("place", SCENARIO.toString(), "--strategies", "group-decoupled", "--out",
                mapA.toString());
        assertThat(place.exitCode()).as(place.err()).isZero();
        StringBuilder allOnGpu0 = new StringBuilder("[");
        for (int e = 0; e < 32; e++) {
            allOnGpu0.append(e > 0 ? ", " : "").append("{\"expert\": ").append(e)
                    .append(", \"replicas\": [{\"gpu\": 0, \"share\": 1.0}]}");
        }
        allOnGpu0.append("]");
        mapB = dir.resolve("b.json");
        Files.writeString(mapB, "{\"strategy\": \"one-gpu\", \"gpuCount\": 8, \"experts\": " + allOnGpu0 + "}");
        JsonNode a = JSON.readTree(mapA.toFile()).get("experts");
        layered = dir.resolve("layered.json");
        Files.writeString(layered, "{\"strategy\": \"mixed\", \"gpuCount\": 8, \"layers\": [{\"layer\": 0, "
                + "\"experts\": " + a + "}, {\"layer\": 1, \"experts\": " + allOnGpu0 + "}]}");
    }

    @Test
    void costPricesEachLayerWithItsOwnMap() throws IOException {
        JsonNode a = cost(mapA);
        JsonNode b = cost(mapB);
        JsonNode mixed = cost(layered);
        assertThat(a.get("expertImbalance").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(b.get("expertImbalance").asDouble()).isCloseTo(8.0, within(1e-9));
        // mean over the 4 MoE layers: (1 + 3 x 8) / 4
        assertThat(mixed.get("expertImbalance").asDouble()).isCloseTo(6.25, within(1e-9));
        // the mean MoE layer: one layer priced as A, three as B (each from its own single-map run)
        double moeA = a.get("moeLayerUs").asDouble();
        double moeB = b.get("moeLayerUs").asDouble();
        assertThat(mixed.get("moeLayerUs").asDouble()).isCloseTo((moeA + 3 * moeB) / 4, within(1e-6));
        // the step: the single-map step with one layer's time exchanged (2 micro-batches)
        assertThat(mixed.get("stepTimeUs").asDouble())
                .isCloseTo(b.get("stepTimeUs").asDouble() - 2 * (moeB - moeA), within(1e-6));
        JsonNode maps = mixed.get("layerMaps");
        assertThat(maps.size()).isEqualTo(2);
        assertThat(maps.get(0).get("fromLayer").asInt()).isZero();
        assertThat(maps.get(0).get("layers").asInt()).isEqualTo(1);
        assertThat(maps.get(1).get("layers").asInt()).isEqualTo(3);
        assertThat(maps.get(1).get("expertImbalance").asDouble()).isCloseTo(8.0, within(1e-9));
        assertThat(a.has("layerMaps")).isFalse();
        // memory: GPU 1 holds A's 4 experts in layer 0 and none in layers 1-3, so less than under A alone
        assertThat(mixed.get("memory").get(1).get("weightBytes").asDouble())
                .isLessThan(a.get("memory").get(1).get("weightBytes").asDouble());
        CliRunner text = CliRunner.run("cost", SCENARIO.toString(), "--placement", layered.toString());
        assertThat(text.out()).contains("Mean MoE layer (2 maps)", "Each map, one MoE layer:",
                "expert imbalance (max/mean), mean over MoE layers: 6.250");
    }

    /** Routing is drawn, so layer 0 is only near balance; under B every expert copy is computed on GPU 0. */
    @Test
    void simulateRoutesEachLayerUnderItsOwnMap() throws IOException {
        CliRunner r = CliRunner.run("simulate", SCENARIO.toString(), "--placement", layered.toString(), "--json",
                "--no-memory-check");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode layers = JSON.readTree(r.out()).get("layers");
        assertThat(layers.size()).isEqualTo(4);
        assertThat(layers.get(0).get("expertImbalance").asDouble()).isLessThan(1.5);
        for (int l = 1; l < 4; l++) {
            assertThat(layers.get(l).get("expertImbalance").asDouble()).isCloseTo(8.0, within(1e-9));
            assertThat(layers.get(l).get("tokenImbalance").asDouble()).isCloseTo(8.0, within(1e-9));
        }
    }

    @Test
    void mapForALayerBeyondTheModelIsOneLine() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(layered).replace("\"layer\": 1,", "\"layer\": 4,"));
        CliRunner r = CliRunner.run("cost", SCENARIO.toString(), "--placement", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(bad + ": layers[1].layer must name a MoE layer of the model (0..3), "
                + "got 4");
    }

    private JsonNode cost(Path placement) throws IOException {
        CliRunner r = CliRunner.run("cost", SCENARIO.toString(), "--placement", placement.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
