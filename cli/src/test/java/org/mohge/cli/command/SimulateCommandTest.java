package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import picocli.CommandLine;

class SimulateCommandTest {
    private static final Path EXAMPLES = Path.of("..", "scenarios", "examples");
    private static final Path CONTIGUOUS = EXAMPLES.resolve("sim-mohge-4g-8xh100-contiguous.json");
    private static final Path DECOUPLED = EXAMPLES.resolve("sim-mohge-4g-8xh100-group-decoupled.json");
    private static final Path TRACE_SCENARIO = EXAMPLES.resolve("sim-trace-replay.json");

    @Test
    void parsesItsOptions() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs(CONTIGUOUS.toString(), "--placement", "p.json", "--json", "--trace",
                "t.json", "--dual-batch", "--no-memory-check");
        assertThat(command.placementOption.file()).isEqualTo(Path.of("p.json"));
        assertThat(command.traceFile).isEqualTo(Path.of("t.json"));
        assertThat(command.format.json()).isTrue();
        assertThat(command.dualBatch).isTrue();
        assertThat(command.noMemoryCheck).isTrue();
    }

    /** The shipped pair: group-skewed routing, contiguous placement against group-decoupled allocation. */
    @Test
    void shippedPairShowsTheAllocationBalancing() throws IOException {
        CliRunner contiguous = CliRunner.run("simulate", CONTIGUOUS.toString(), "--json");
        CliRunner decoupled = CliRunner.run("simulate", DECOUPLED.toString(), "--json");
        assertThat(contiguous.exitCode()).as(contiguous.err()).isZero();
        assertThat(decoupled.exitCode()).as(decoupled.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(contiguous.out());
        JsonNode d = new ObjectMapper().readTree(decoupled.out());
        for (JsonNode n : new JsonNode[] {c, d}) {
            assertThat(n.get("stepTimeUs").isNumber()).isTrue();
            assertThat(n.get("tokensPerSecond").isNumber()).isTrue();
            assertThat(n.get("imbalance").isNumber()).isTrue();
        }
        assertThat(c.get("imbalance").asDouble()).isGreaterThanOrEqualTo(1.3);
        assertThat(d.get("imbalance").asDouble()).isLessThanOrEqualTo(1.05);
        assertThat(c.get("scenario").asText()).isEqualTo("sim-mohge-4g-8xh100-contiguous");
    }

    @Test
    void jsonIsByteIdenticalRunToRun() {
        CliRunner a = CliRunner.run("simulate", TRACE_SCENARIO.toString(), "--json");
        CliRunner b = CliRunner.run("simulate", TRACE_SCENARIO.toString(), "--json");
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
    }

    @Test
    void textAndPerfettoTrace(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("out").resolve("step.trace.json");
        CliRunner r = CliRunner.run("simulate", TRACE_SCENARIO.toString(), "--trace", trace.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("step time:", "imbalance", "dispatch a2a", "Per GPU");
        JsonNode json = new ObjectMapper().readTree(trace.toFile());
        assertThat(json.get("traceEvents").size()).isGreaterThan(10);
        assertThat(r.err()).contains("wrote the Chrome trace");
    }

    @Test
    void badTraceIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "0,0,0,1;2\n0,0,1,3;99\n");
        String scenario = Files.readString(TRACE_SCENARIO).replace("sim-trace-replay.routing.csv", "bad.csv");
        Path file = dir.resolve("scenario.json");
        Files.writeString(file, scenario);
        CliRunner r = CliRunner.run("simulate", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(csv + ": line 2 experts[1] must name an expert of the model (0..7), got 99");
    }

    @Test
    void placementLeavingAnExpertOutIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path placement = dir.resolve("placement.json");
        Files.writeString(placement, "{\"strategy\": \"mine\", \"gpuCount\": 2, \"experts\": ["
                + "{\"expert\": 0, \"replicas\": [{\"gpu\": 0, \"share\": 1.0}]}]}");
        CliRunner r = CliRunner.run("simulate", TRACE_SCENARIO.toString(), "--placement", placement.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith(placement + ": experts").doesNotContain("\n");
    }
}
