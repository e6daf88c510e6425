package org.mohge.sim.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.Fixtures;
import org.mohge.sim.InputFileException;

class RoutingTracesTest {
    private static final ModelSpec MODEL = Fixtures.model(64, 2, Fixtures.uniform(8, 128, 2));

    private static RoutingModel load(Path file, WorkloadSpec workload) {
        return RoutingModels.create(MODEL, workload, new RoutingSpec(RoutingSource.TRACE, null, null, RoutingFidelity.EXACT, file.toString()), 1);
    }

    /** The CSV and JSON-lines forms of one trace replay to the same counts. */
    @Test
    void csvAndJsonLinesAgree(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("t.csv");
        Path jsonl = dir.resolve("t.jsonl");
        Files.writeString(csv, "step,layer,token,experts\n0,0,0,1;2\n0,0,1,3 4\n0,0,2,1;5\n0,0,3,6;7\n"
                + "# second layer\n0,1,0,0;1\n0,1,1,0;1\n0,1,2,0;2\n0,1,3,0;3\n");
        Files.writeString(jsonl, """
                {"step": 0, "layer": 0, "token": 0, "experts": [1, 2]}
                {"step": 0, "layer": 0, "token": 1, "experts": [3, 4]}
                {"step": 0, "layer": 0, "token": 2, "experts": [1, 5]}
                {"step": 0, "layer": 0, "token": 3, "experts": [6, 7]}
                {"step": 0, "layer": 1, "token": 0, "experts": [0, 1]}
                {"step": 0, "layer": 1, "token": 1, "experts": [0, 1]}
                {"step": 0, "layer": 1, "token": 2, "experts": [0, 2]}
                {"step": 0, "layer": 1, "token": 3, "experts": [0, 3]}
                """);
        WorkloadSpec workload = Fixtures.inference(4);
        double[][] a = load(csv, workload).route(0, 0, new long[] {2, 2});
        double[][] b = load(jsonl, workload).route(0, 0, new long[] {2, 2});
        assertThat(a).isDeepEqualTo(b);
        // layer 1: GPU 0 holds tokens 0 and 1 (experts 0, 1 twice), GPU 1 tokens 2 and 3
        assertThat(a[1]).containsExactly(2, 2, 0, 0, 0, 0, 0, 0, 2, 0, 1, 1, 0, 0, 0, 0);
        // expected inclusion of layer 0: expert 1 in 2 of 4 tokens
        assertThat(load(csv, workload).expectedInclusion(0)[1]).isCloseTo(0.5, within(1e-12));
    }

    /** A trace with fewer tokens than the micro-batch is scaled: each copy counts T / N. */
    @Test
    void scalesToTheMicroBatch(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "0,0,0,0;1\n0,0,1,2;3\n");
        double[][] c = load(csv, Fixtures.inference(100)).route(0, 0, new long[] {50, 50});
        assertThat(c[0][0]).isEqualTo(50);
        assertThat(c[0][8 + 3]).isEqualTo(50);
        double total = 0;
        for (double v : c[1]) {
            total += v;
        }
        assertThat(total).isEqualTo(200); // layer 1 replays trace layer 0
    }

    @Test
    void countsTraceSetsExpectedShares(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("counts.json");
        Files.writeString(json, "{\"tokens\": 100, \"layers\": [{\"layer\": 0, \"expertCounts\": "
                + "[50, 50, 25, 25, 25, 25, 0, 0]}]}");
        RoutingModel routing = load(json, Fixtures.inference(100));
        // relative popularity 0.25, 0.25, 0.125 x 4 over 2 picks: 0.5, 0.5, 0.25 x 4
        assertThat(routing.expectedInclusion(1)).containsExactly(new double[] {0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0, 0},
                within(1e-12));
    }

    @Test
    void unknownExpertFailsWithOneLine(@TempDir Path dir) throws IOException {
        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"step\": 0, \"layer\": 0, \"token\": 0, \"experts\": [1, 2]}\n"
                + "{\"step\": 0, \"layer\": 0, \"token\": 1, \"experts\": [3, 300]}\n");
        assertThatThrownBy(() -> load(jsonl, Fixtures.inference(2)))
                .isInstanceOf(InputFileException.class)
                .hasMessage(jsonl + ": line 2 experts[1] must name an expert of the model (0..7), got 300");
    }

    @Test
    void otherBadInputs(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "0,5,0,1;2\n");
        assertThatThrownBy(() -> load(csv, Fixtures.inference(2)))
                .hasMessage(csv + ": line 1 layer must be < 2 (the model's MoE layers), got 5");
        Files.writeString(csv, "0,0,0,1;1\n");
        assertThatThrownBy(() -> load(csv, Fixtures.inference(2))).hasMessage(csv + ": line 1 experts[1] repeats expert 1");
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"tokens\": 10, \"layers\": [{\"layer\": 0, \"expertCounts\": [1, 2]}]}");
        assertThatThrownBy(() -> load(json, Fixtures.inference(2)))
                .hasMessage(json + ": layers[0].expertCounts must list one count for each of the 8 experts, got 2");
        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"step\": 0, \"layer\": 0, \"tokn\": 0, \"experts\": [1]}\n");
        assertThatThrownBy(() -> load(jsonl, Fixtures.inference(2)))
                .hasMessage(jsonl + ": line 1 tokn is not a known key (step, layer, token, experts)");
    }
}
