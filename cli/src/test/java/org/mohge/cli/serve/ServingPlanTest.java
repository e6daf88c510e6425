package org.mohge.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** A serving plan: every point priced, the best is the cheapest meeting the target, same bytes on any thread count. */
class ServingPlanTest {
    @TempDir
    Path dir;

    private Path files(String planExtra) throws IOException {
        return ServingPlanFixtures.plan(dir, planExtra);
    }

    @Test
    void bestIsTheCheapestPointMeetingTheTargetAndThreadsDoNotChangeTheResult() throws IOException {
        Path plan = files("");
        CliRunner one = CliRunner.run("plan", plan.toString(), "--out", dir.resolve("o1").toString(), "--json",
                "--threads", "1");
        assertThat(one.exitCode()).as(one.err()).isZero();
        CliRunner two = CliRunner.run("plan", plan.toString(), "--out", dir.resolve("o2").toString(), "--json",
                "--threads", "2");
        assertThat(two.out()).isEqualTo(one.out());
        JsonNode doc = new ObjectMapper().readTree(one.out());
        Map<String, Double> prices = Map.of("h100-sxm", 2.5, "h200-sxm", 3.5);
        // 2 GPU types x 2 tp x (3 replica counts + 1 prefill:decode pair)
        assertThat(doc.get("points").size()).isEqualTo(16);
        double cheapest = Double.POSITIVE_INFINITY;
        String cheapestId = null;
        for (JsonNode p : doc.get("points")) {
            // unified: replicas x tp (dp 1); disaggregated: each pool's replicas x its tp
            int gpus = p.get("replicas").asInt() * p.get("tp").asInt()
                    + p.get("prefillReplicas").asInt() * p.get("prefillTp").asInt()
                    + p.get("decodeReplicas").asInt() * p.get("decodeTp").asInt();
            assertThat(p.get("gpus").asInt()).isEqualTo(gpus);
            assertThat(p.get("costPerHour").asDouble())
                    .isEqualTo(p.get("gpus").asInt() * prices.get(p.get("gpu").asText()));
            boolean meets = p.get("ttftP99Ms").asDouble() <= 20 && p.get("tpotP99Ms").asDouble() <= 2
                    && p.get("rejected").asLong() == 0;
            assertThat(p.get("meetsTarget").asBoolean()).as(p.get("id").asText()).isEqualTo(meets);
            if (meets && p.get("costPerHour").asDouble() < cheapest) {
                cheapest = p.get("costPerHour").asDouble();
                cheapestId = p.get("id").asText();
            }
        }
        assertThat(cheapestId).as("some point meets the target").isNotNull();
        JsonNode best = doc.get("points").get(Integer.parseInt(doc.get("best").asText().substring(1)) - 1);
        assertThat(best.get("costPerHour").asDouble()).isEqualTo(cheapest);
        assertThat(dir.resolve("o1").resolve("index.html")).exists();
        assertThat(dir.resolve("o1").resolve("pareto.png")).exists();
        assertThat(Files.readString(dir.resolve("o1").resolve("results.json")))
                .isEqualTo(Files.readString(dir.resolve("o2").resolve("results.json")));
    }

    @Test
    void interruptedRunResumesFromPointsJsonlAndGivesTheSameBytes() throws IOException {
        Path plan = files("");
        Path whole = dir.resolve("whole");
        CliRunner first = CliRunner.run("plan", plan.toString(), "--out", whole.toString(), "--json", "--threads", "2");
        assertThat(first.exitCode()).as(first.err()).isZero();
        Map<String, String> before = new java.util.HashMap<>();
        for (String f : new String[] {"results.json", "results.csv", "points.jsonl"}) {
            before.put(f, Files.readString(whole.resolve(f)));
        }
        List<String> lines = Files.readAllLines(whole.resolve("points.jsonl"));
        assertThat(lines).hasSize(16);
        // an interrupted run: six complete lines (out of order, as threads finish), then half a line
        Files.writeString(whole.resolve("points.jsonl"), String.join("\n", lines.get(9), lines.get(0),
                lines.get(3), lines.get(15), lines.get(1), lines.get(7)) + "\n"
                + lines.get(4).substring(0, lines.get(4).length() / 2));
        CliRunner again = CliRunner.run("plan", plan.toString(), "--out", whole.toString(), "--json",
                "--threads", "1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("16 points (6 from ", ", 10 to evaluate) on local (1 thread)");
        assertThat(again.out()).isEqualTo(first.out());
        for (String f : before.keySet()) {
            assertThat(Files.readString(whole.resolve(f))).as(f).isEqualTo(before.get(f));
        }
        CliRunner complete = CliRunner.run("plan", plan.toString(), "--out", whole.toString(), "--json");
        assertThat(complete.err()).contains("16 points (16 from ", ", 0 to evaluate)");
        // another traffic rate changes the fingerprint: nothing is reused
        Files.writeString(plan, Files.readString(plan).replace("\"requestsPerSecond\": 200", "\"requestsPerSecond\": 150"));
        CliRunner other = CliRunner.run("plan", plan.toString(), "--out", whole.toString(), "--json");
        assertThat(other.err()).contains("16 points (0 from ");
    }

    @Test
    void perPoolLayoutsTryEveryRatioAndLayoutPair() throws IOException {
        Path plan = files("");
        Files.writeString(plan, Files.readString(plan).replace("\"prefillDecode\": [[1, 2]]",
                "\"prefillDecode\": [[1, 1], [1, 2]], \"prefillLayouts\": [{\"tp\": 2, \"dp\": 1}],"
                        + " \"decodeLayouts\": [{\"tp\": 1, \"dp\": 1}, {\"tp\": 1, \"dp\": 2}]"));
        CliRunner r = CliRunner.run("plan", plan.toString(), "--out", dir.resolve("o").toString(), "--json",
                "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode points = new ObjectMapper().readTree(r.out()).get("points");
        // per GPU type: 2 tp x 3 replica counts unified, then 2 ratios x 1 prefill x 2 decode layouts
        assertThat(points.size()).isEqualTo(2 * (6 + 4));
        JsonNode pd = points.get(6 + 3); // h100: the 4th disaggregated point: P1:D2, prefill tp 2, decode tp1 x dp2
        assertThat(pd.get("prefillReplicas").asInt()).isEqualTo(1);
        assertThat(pd.get("decodeReplicas").asInt()).isEqualTo(2);
        assertThat(pd.get("prefillTp").asInt()).isEqualTo(2);
        assertThat(pd.get("decodeDp").asInt()).isEqualTo(2);
        // 1 x 2 prefill GPUs + 2 x 2 decode GPUs
        assertThat(pd.get("gpus").asInt()).isEqualTo(6);
        assertThat(pd.get("costPerHour").asDouble()).isEqualTo(6 * 2.5);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aPoolOnAnotherGpuKindIsPricedAtItsPrice() throws IOException {
        Path plan = files("");
        Files.writeString(plan, Files.readString(plan).replace("\"prefillDecode\": [[1, 2]]",
                "\"prefillDecode\": [[1, 1]], \"prefillLayouts\": [{\"tp\": 1, \"dp\": 1}],"
                        + " \"decodeLayouts\": [{\"tp\": 1, \"dp\": 1, \"gpu\": \"h200-sxm\"}]"));
        CliRunner r = CliRunner.run("plan", plan.toString(), "--out", dir.resolve("o").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode points = new ObjectMapper().readTree(r.out()).get("points");
        // h100 point: the prefill GPU at 2.5 and the decode GPU, an H200, at 3.5
        JsonNode mixed = points.get(6);
        assertThat(mixed.get("gpu").asText()).isEqualTo("h100-sxm");
        assertThat(mixed.get("decodeGpu").asText()).isEqualTo("h200-sxm");
        assertThat(mixed.get("costPerHour").asDouble()).isEqualTo(2.5 + 3.5);
        assertThat(mixed.get("status").asText()).isEqualTo("ok");
        // h200 point: the decode layout's GPU is the point's own, so it is not repeated
        JsonNode same = points.get(13);
        assertThat(same.get("decodeGpu").isNull()).isTrue();
        assertThat(same.get("costPerHour").asDouble()).isEqualTo(2 * 3.5);

        Files.writeString(plan, Files.readString(plan).replace("\"gpu\": \"h200-sxm\"}]", "\"gpu\": \"b200\"}]"));
        CliRunner bad = CliRunner.run("plan", plan.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith(plan + ": pricePerGpuHour must give a price for every GPU a pool names;"
                + " missing 'b200' (axes.decodeLayouts[0].gpu)").doesNotContain("\n\n");
    }

    @Test
    void badPlanIsOneLine() throws IOException {
        Path plan = files("").resolveSibling("plan.json");
        Files.writeString(plan, Files.readString(plan).replace("\"h200-sxm\"]", "\"h300\"]"));
        CliRunner r = CliRunner.run("plan", plan.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith(plan + ": axes.gpu[1] names no known GPU").doesNotContain("\n\n");
    }
}
