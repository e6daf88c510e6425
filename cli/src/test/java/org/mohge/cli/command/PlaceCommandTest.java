package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.cli.scenario.StrictJson;
import org.mohge.costmodel.deploy.Placement;
import picocli.CommandLine;

class PlaceCommandTest {
    private static final Path SCENARIO = Path.of("..", "scenarios", "examples", "place-skewed-mohge-2x4xh100.json");

    @Test
    void parsesItsOptions() {
        PlaceCommand command = new PlaceCommand();
        new CommandLine(command).parseArgs(SCENARIO.toString(), "--strategies", "greedy,optaplanner", "--seconds",
                "3", "--load-profile", "loads.json", "--json", "--out", "p.json");
        assertThat(command.strategies).containsExactly("greedy", "optaplanner");
        assertThat(command.seconds).isEqualTo(3.0);
        assertThat(command.loadProfile).isEqualTo(Path.of("loads.json"));
        assertThat(command.outFile).isEqualTo(Path.of("p.json"));
        assertThat(command.format.json()).isTrue();
    }

    @Test
    void jsonComparesEveryStrategyAndTheSearchIsNeverWorseThanItsBaselines() throws IOException {
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--seconds", "1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        Map<String, JsonNode> byName = new HashMap<>();
        json.get("strategies").forEach(s -> byName.put(s.get("strategy").asText(), s));
        assertThat(byName).containsOnlyKeys("contiguous", "group-decoupled", "greedy", "replicate", "optaplanner");
        double bound = json.get("lowerBoundUs").asDouble();
        for (JsonNode s : byName.values()) {
            double max = s.get("maxGpuLoad").asDouble();
            // imbalance = max / mean and the gap = max / bound - 1, from the document's own figures
            assertThat(s.get("imbalance").asDouble()).isCloseTo(max / s.get("meanGpuTimeUs").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.get("gapToLowerBound").asDouble()).isCloseTo(max / bound - 1,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(max).isGreaterThanOrEqualTo(bound * 0.999);
        }
        double opt = byName.get("optaplanner").get("maxGpuLoad").asDouble();
        assertThat(opt).isLessThanOrEqualTo(byName.get("greedy").get("maxGpuLoad").asDouble());
        assertThat(opt).isLessThanOrEqualTo(byName.get("replicate").get("maxGpuLoad").asDouble());
        // Skewed loads over groups of different sizes: the paper's layout balances better than
        // contiguous, which puts whole groups (one expert size) on a GPU.
        assertThat(byName.get("group-decoupled").get("maxGpuLoad").asDouble())
                .isLessThan(byName.get("contiguous").get("maxGpuLoad").asDouble());
    }

    @Test
    void textTableAndOutFileReadableAsAPlacement(@TempDir Path dir) {
        Path out = dir.resolve("sub").resolve("placement.json");
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--strategies", "contiguous,greedy",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("max GPU us", "gap to bound", "contiguous", "greedy", "best: greedy");
        assertThat(r.err()).contains("wrote the greedy placement to");
        Placement placement = StrictJson.read(out, Placement.class);
        assertThat(placement.strategy()).isEqualTo("greedy");
        assertThat(placement.gpuCount()).isEqualTo(8);
        assertThat(placement.expertCount()).isEqualTo(32);
    }

    @Test
    void badLoadProfileIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path loads = dir.resolve("loads.json");
        Files.writeString(loads, "{\"layers\": [{\"layer\": 0, \"expertLoads\": [1, -2]}]}");
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--load-profile", loads.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(loads + ": layers[0].expertLoads[1] must be >= 0, got -2.0");
    }

    @Test
    void loadProfileWithTheWrongExpertCountIsRejected(@TempDir Path dir) throws IOException {
        Path loads = dir.resolve("loads.json");
        Files.writeString(loads, "{\"layers\": [{\"layer\": 0, \"expertLoads\": [1, 2, 3]}]}");
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--load-profile", loads.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(loads + ": layers[0].expertLoads must have one entry per expert "
                + "of the model (32), got 3");
    }

    @Test
    void unknownStrategyIsAUsageError() {
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--strategies", "greedy,magic");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown placement strategy 'magic'");
    }
}
