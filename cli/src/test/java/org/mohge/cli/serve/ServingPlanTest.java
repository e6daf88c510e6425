package org.mohge.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** A serving plan: every point priced, the best is the cheapest meeting the target, same bytes on any thread count. */
class ServingPlanTest {
    @TempDir
    Path dir;

    private Path files(String planExtra) throws IOException {
        Files.writeString(dir.resolve("base.json"), """
                {"name": "plan-base", "seed": 5,
                 "model": {"hiddenSize": 256, "layers": 2, "vocabSize": 1000,
                           "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 64},
                           "moe": {"type": "uniform", "experts": 8, "expertHidden": 256, "topK": 2}},
                 "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 8},
                 "workload": {"kind": "inference", "tokensPerStep": 1024, "sequenceLength": 128},
                 "serving": {"arrivals": {"type": "poisson", "ratePerSecond": 10},
                             "promptTokens": {"type": "uniform", "minTokens": 50, "maxTokens": 300},
                             "outputTokens": {"type": "uniform", "minTokens": 5, "maxTokens": 40},
                             "requests": 300,
                             "scheduler": {"maxRunningSeqs": 4},
                             "kvCache": {"blocks": 200}}}
                """);
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, """
                {"name": "p", "base": "base.json",
                 "servingTarget": {"requestsPerSecond": 200, "ttftP99Ms": 20, "tpotP99Ms": 2},
                 "axes": {"gpu": ["h100-sxm", "h200-sxm"], "tp": [1, 2], "replicas": [1, 2, 4],
                          "prefillDecode": [[1, 2]]},
                 "pricePerGpuHour": {"h100-sxm": 2.5, "h200-sxm": 3.5}%s}
                """.formatted(planExtra));
        return plan;
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
            int replicas = p.get("replicas").asInt() > 0 ? p.get("replicas").asInt()
                    : p.get("prefillReplicas").asInt() + p.get("decodeReplicas").asInt();
            assertThat(p.get("gpus").asInt()).isEqualTo(replicas * p.get("tp").asInt());
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
    void badPlanIsOneLine() throws IOException {
        Path plan = files("").resolveSibling("plan.json");
        Files.writeString(plan, Files.readString(plan).replace("\"h200-sxm\"]", "\"h300\"]"));
        CliRunner r = CliRunner.run("plan", plan.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith(plan + ": axes.gpu[1] names no known GPU").doesNotContain("\n\n");
    }
}
