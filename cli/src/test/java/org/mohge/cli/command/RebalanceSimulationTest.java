package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** {@code placement.rebalance} on the shipped drift example: 12 steps, every 3 steps, at most 8 moves per layer. */
class RebalanceSimulationTest {
    private static final Path SCENARIO = Path.of("..", "scenarios", "examples", "sim-rebalance-drift.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replacesWithinTheBudgetAndCountsTransfersAgainstThroughput() throws IOException {
        JsonNode r = simulate(SCENARIO);
        JsonNode rebalance = r.get("rebalance");
        // after steps 2, 5 and 8; not after 11, the last
        assertThat(rebalance.get("replacements").asInt()).isEqualTo(3);
        int moved = 0;
        for (JsonNode e : rebalance.get("entries")) {
            assertThat(e.get("expertsMoved").asInt()).isBetween(0, 8 * 4);
            moved += e.get("expertsMoved").asInt();
        }
        assertThat(rebalance.get("expertsMoved").asInt()).isEqualTo(moved);
        // the run without rebalancing is the document's own result
        assertThat(rebalance.get("tokensPerSecondWithout").asDouble()).isEqualTo(r.get("tokensPerSecond").asDouble());
        // net throughput: all tokens over all step time plus every transfer
        double seconds = (rebalance.get("stepTimeUsWith").asDouble() * 12 + rebalance.get("transferUs").asDouble())
                * 1e-6;
        assertThat(rebalance.get("tokensPerSecondWith").asDouble()).isCloseTo(262144.0 * 12 / seconds, within(1e-6));
        // contiguous under drifting skew: re-placing brings the worst layer closer to balance
        assertThat(rebalance.get("imbalanceWith").asDouble()).isLessThan(r.get("imbalance").asDouble());
    }

    /** No move allowed: the maps cannot change, so the steps and tokens/s are exactly those without. */
    @Test
    void zeroMovesChangeNothing(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, Files.readString(SCENARIO).replace("\"maxMoves\": 8", "\"maxMoves\": 0"));
        JsonNode rebalance = simulate(scenario).get("rebalance");
        assertThat(rebalance.get("expertsMoved").asInt()).isZero();
        assertThat(rebalance.get("transferUs").asDouble()).isZero();
        assertThat(rebalance.get("tokensPerSecondWith").asDouble())
                .isCloseTo(rebalance.get("tokensPerSecondWithout").asDouble(), within(1e-6));
    }

    @Test
    void badRebalanceKeyIsOneLine(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, Files.readString(SCENARIO).replace("\"everySteps\": 3", "\"everySteps\": 0"));
        CliRunner r = CliRunner.run("simulate", scenario.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(scenario + ": placement.rebalance.everySteps must be > 0, got 0");
    }

    private static JsonNode simulate(Path scenario) throws IOException {
        CliRunner r = CliRunner.run("simulate", scenario.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
