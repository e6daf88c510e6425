package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.reports.browser.BrowserChecks;

/** The shipped example sweep loads, runs, and its best design is consistent with its own points. */
class PlanShippedSweepTest {
    private static final Path SWEEP = Path.of("..", "scenarios", "sweeps", "mohge-training-capacity.json");

    @TempDir
    Path dir;

    @Test
    void exampleSweepRunsAndItsBestIsTheCheapestPointMeetingTheTarget() throws Exception {
        PlanRunner.Sweep sweep = PlanRunner.load(SWEEP);
        // 3 GPU types x 3 node counts x 1 x 2 tokens-per-step values x 3 layouts x 4 placements
        assertThat(sweep.points()).hasSize(216);
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("plan", SWEEP.toString(), "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        Map<String, Double> prices = Map.of("h100-sxm", 2.5, "h200-sxm", 3.5, "b200", 5.5);
        double cheapestMeeting = Double.POSITIVE_INFINITY;
        for (JsonNode p : doc.get("points")) {
            assertThat(p.get("costPerHour").asDouble())
                    .isEqualTo(p.get("gpus").asInt() * prices.get(p.get("gpu").asText()));
            boolean meets = "ok".equals(p.get("status").asText()) && p.get("tokensPerSecond").asDouble() >= 1_000_000
                    && p.get("memoryHeadroomPct").asDouble() >= 10;
            assertThat(p.get("meetsTarget").asBoolean()).as(p.get("id").asText()).isEqualTo(meets);
            if (meets) {
                cheapestMeeting = Math.min(cheapestMeeting, p.get("costPerHour").asDouble());
            }
        }
        assertThat(doc.get("best").isNull()).isFalse();
        assertThat(doc.get("best").get("costPerHour").asDouble()).isEqualTo(cheapestMeeting);
        BrowserChecks.assertOpensCleanly(out.resolve("index.html"), null);
    }
}
