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

class ServeCommandTest {
    private static final String SCENARIO = """
            {"name": "serve-small", "seed": 3,
             "model": {"hiddenSize": 256, "layers": 2, "vocabSize": 1000,
                       "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 64},
                       "moe": {"type": "grouped",
                               "groups": [{"expertHidden": 128, "experts": 4}, {"expertHidden": 256, "experts": 4}],
                               "topGroups": 1, "topExpertsPerGroup": 2}},
             "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 2},
             "workload": {"kind": "inference", "tokensPerStep": 1024, "sequenceLength": 128},
             "serving": {"arrivals": {"type": "poisson", "ratePerSecond": 50},
                         "promptTokens": {"type": "uniform", "minTokens": 20, "maxTokens": 200},
                         "outputTokens": {"type": "fixed", "tokens": 16},
                         "requests": 300,
                         "deployment": {"replicas": 2, "tp": 1, "dp": 1},
                         "loadBalancer": "round-robin",
                         "slo": {"ttftMs": 100, "tpotMs": 10}}}
            """;

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void jsonReportsLatenciesThroughputAndPools() throws IOException {
        Path trace = dir.resolve("t.json");
        CliRunner r = CliRunner.run("serve", write(SCENARIO).toString(), "--json", "--trace", trace.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.at("/result/completed").asLong()).isEqualTo(300);
        assertThat(json.at("/result/pools/0/replicas").asInt()).isEqualTo(2);
        assertThat(json.at("/result/ttft/p99Ms").asDouble()).isPositive();
        assertThat(json.at("/result/gpus").asInt()).isEqualTo(2);
        JsonNode traceJson = new ObjectMapper().readTree(trace.toFile());
        assertThat(traceJson.get("traceEvents").size()).isGreaterThan(300);
        // Same seed, same bytes.
        CliRunner again = CliRunner.run("serve", dir.resolve("s.json").toString(), "--json");
        assertThat(again.out()).isEqualTo(r.out());
    }

    @Test
    void fp8KvCacheAndDualBatchOverlapAreScenarioKeys() throws IOException {
        CliRunner bf16 = CliRunner.run("serve", write(SCENARIO).toString(), "--json");
        CliRunner fp8 = CliRunner.run("serve", write(SCENARIO.replace("\"requests\": 300,",
                "\"requests\": 300, \"kvCache\": {\"dtype\": \"fp8\"},")).toString(), "--json");
        assertThat(fp8.exitCode()).as(fp8.err()).isZero();
        long bf16Tokens = new ObjectMapper().readTree(bf16.out()).at("/result/pools/0/kvTokensPerReplica").asLong();
        long fp8Tokens = new ObjectMapper().readTree(fp8.out()).at("/result/pools/0/kvTokensPerReplica").asLong();
        // one byte per cached value instead of two: twice the pages of 16 tokens, or one more (floor of 2x)
        assertThat(fp8Tokens - 2 * bf16Tokens).isIn(0L, 16L);

        // One replica with the experts over 2 GPUs (dp 2): the dispatch and combine hide behind compute.
        String ep2 = SCENARIO.replace("\"deployment\": {\"replicas\": 2, \"tp\": 1, \"dp\": 1}",
                "\"deployment\": {\"replicas\": 1, \"tp\": 1, \"dp\": 2}");
        JsonNode serial = new ObjectMapper().readTree(CliRunner.run("serve", write(ep2).toString(), "--json").out());
        CliRunner overlapped = CliRunner.run("serve", write(ep2.replace("\"requests\": 300,",
                "\"requests\": 300, \"dualBatchOverlap\": true,")).toString(), "--json");
        assertThat(overlapped.exitCode()).as(overlapped.err()).isZero();
        JsonNode overlap = new ObjectMapper().readTree(overlapped.out());
        assertThat(overlap.at("/result/tpot/p50Ms").asDouble()).isLessThan(serial.at("/result/tpot/p50Ms").asDouble());
    }

    @Test
    void textReportAndRateOverride() throws IOException {
        CliRunner r = CliRunner.run("serve", write(SCENARIO).toString(), "--rate", "10", "--requests", "50");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Poisson 10.00 req/s").contains("50 arrived, 50 completed").contains("TTFT");
    }

    @Test
    void aRunShortAgainstItsLatencySaysSo() throws IOException {
        // The caution is due exactly when the mean end to end exceeds a tenth of the arrival window;
        // both figures are in the JSON of the same run.
        for (String requests : new String[] {"5", "300"}) {
            Path file = write(SCENARIO);
            JsonNode json = new ObjectMapper().readTree(CliRunner.run("serve", file.toString(), "--json",
                    "--requests", requests).out());
            double meanE2eS = json.at("/result/e2e/meanMs").asDouble() / 1e3;
            double windowS = json.at("/result/windowS").asDouble();
            CliRunner text = CliRunner.run("serve", file.toString(), "--requests", requests);
            assertThat(text.out().contains("caution: the arrivals took")).as(requests + " requests")
                    .isEqualTo(meanE2eS > 0.1 * windowS);
            assertThat(json.get("shortRunMissingShare").asDouble()).isEqualTo(meanE2eS > 0.1 * windowS
                    ? Math.min(1, meanE2eS / windowS) : 0);
        }
        // 5 requests at 100,000 req/s arrive within about 50 us, well inside one request's 16 decode steps.
        assertThat(CliRunner.run("serve", write(SCENARIO).toString(), "--requests", "5", "--rate", "100000").out())
                .contains("caution: the arrivals took");
    }

    @Test
    void badServingSectionIsOneLineAndExitTwo() throws IOException {
        Path file = write(SCENARIO.replace("\"ratePerSecond\": 50", "\"ratePerSecond\": -1"));
        CliRunner r = CliRunner.run("serve", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(file + ": serving.arrivals.ratePerSecond must be > 0, got -1.0"
                + System.lineSeparator());
        Path unknown = write(SCENARIO.replace("\"loadBalancer\": \"round-robin\"", "\"loadBalancer\": \"random\""));
        CliRunner u = CliRunner.run("serve", unknown.toString());
        assertThat(u.exitCode()).isEqualTo(2);
        assertThat(u.err()).startsWith(unknown + ": serving.loadBalancer ").doesNotContain("\n\n");
    }

    static java.util.stream.Stream<Path> shippedServingScenarios() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("..", "scenarios", "serving"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("shippedServingScenarios")
    void shippedServingScenariosRun(Path file) {
        CliRunner r = CliRunner.run("serve", file.toString(), "--requests", "200", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"completed\" : 200");
    }

    @Test
    void scenarioWithoutServingIsAnInputError() throws IOException {
        Path file = write(SCENARIO.replaceAll("(?s),\\s*\"serving\".*\\}\\}\\s*$", "}"));
        CliRunner r = CliRunner.run("serve", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith(file + ": serving is required");
    }

    /**
     * A capacity answer close to saturation is flagged: the share is the answer's output tokens/s
     * over the most any evaluated rate delivered, recomputed here from the points.
     */
    @Test
    void aCapacityAnswerNearSaturationIsFlaggedForALongerRun() throws IOException {
        String scenario = "../scenarios/serving/mohge-3g-1xh100.json";
        CliRunner json = CliRunner.run("serve", scenario, "--max-rate", "--requests", "1000", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        double answer = doc.get("maxRatePerSecond").asDouble();
        double most = 0;
        double atAnswer = 0;
        for (JsonNode p : doc.get("points")) {
            double out = p.get("result").get("outputTokensPerS").asDouble();
            most = Math.max(most, out);
            if (p.get("ratePerSecond").asDouble() == answer) {
                atAnswer = out;
            }
        }
        double share = atAnswer / most;
        assertThat(doc.get("saturationShare").asDouble()).isEqualTo(share);
        CliRunner text = CliRunner.run("serve", scenario, "--max-rate", "--requests", "1000");
        assertThat(text.out().contains("caution: at that rate")).isEqualTo(share >= 0.9);
    }
}
