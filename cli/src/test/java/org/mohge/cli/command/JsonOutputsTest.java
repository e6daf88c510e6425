package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** {@code --json} gives exactly one JSON document on stdout, and {@code --out FILE} writes the same one. */
class JsonOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SMALL = Path.of("..", "scenarios", "examples", "validate-mohge-small.json");

    @TempDir
    Path dir;

    @Test
    void benchSimPrintsItsFiguresAsOneDocumentAndWritesThemToOut() throws Exception {
        Path file = dir.resolve("sim.json");
        CliRunner r = CliRunner.run("bench", "sim", "--json", "--repeats", "1", "--out", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        List<String> names = new ArrayList<>();
        doc.forEach(f -> names.add(f.get("name").asText()));
        assertThat(names).contains("cores", "exactRoutingDecisionsPerSecond.threads1", "aggregateStepWallSeconds");
        doc.forEach(f -> assertThat(f.get("value").asDouble()).as(f.toString()).isPositive());
        assertThat(JSON.readTree(file.toFile())).isEqualTo(doc);
    }

    @Test
    void repeatsOnABenchmarkThatDoesNotUseThemIsRefused() {
        CliRunner r = CliRunner.run("bench", "layer", "--backend", "cpu", "--quick", "--repeats", "7");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("--repeats applies to bench sim only; layer sets its own repeats");
    }

    @Test
    void studyJsonIsItsResultsFile() throws Exception {
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("study", SMALL.toString(), "--out", out.toString(), "--seconds", "1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(Files.readString(out.resolve("results.json"))));
        assertThat(r.err()).contains("wrote " + out.resolve("index.html"));
    }
}
