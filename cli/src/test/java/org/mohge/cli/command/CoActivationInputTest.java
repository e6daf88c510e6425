package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

class CoActivationInputTest {
    private static final Path SCENARIO = Path.of("..", "scenarios", "examples", "place-skewed-mohge-2x4xh100.json");

    @TempDir
    Path dir;

    private JsonNode contiguous(String pairs) throws Exception {
        Path file = dir.resolve("pairs.json");
        Files.writeString(file, pairs);
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--strategies", "contiguous", "--co-activation",
                file.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("strategies").get(0);
    }

    @Test
    void pairsSplitAcrossNodesCostInterNodeBytes() throws Exception {
        // contiguous on 2 nodes x 4 GPUs: experts 0 and 1 share GPU 0 (node 0); expert 31 sits on GPU 7 (node 1)
        assertThat(contiguous("{\"pairs\": [{\"expertA\": 0, \"expertB\": 1, \"tokensPerStep\": 1000}]}")
                .get("coActivationBytes").asDouble()).isZero();
        assertThat(contiguous("{\"pairs\": [{\"expertA\": 0, \"expertB\": 31, \"tokensPerStep\": 1000}]}")
                .get("coActivationBytes").asDouble()).isPositive();
    }

    @Test
    void aPairNamingAMissingExpertIsOneLine() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"pairs\": [{\"expertA\": 0, \"expertB\": 40, \"tokensPerStep\": 1}]}");
        CliRunner r = CliRunner.run("place", SCENARIO.toString(), "--co-activation", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(file + ": pairs[0] names expert 40, the model has experts 0..31"
                + System.lineSeparator());
    }
}
