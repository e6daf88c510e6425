package org.mohge.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

class ServingStudyTest {
    @TempDir
    Path dir;

    @Test
    void studyOfAServingScenarioWritesCdfsLoadSweepAndSeries() throws IOException {
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, """
                {"name": "serve-study", "seed": 5,
                 "model": {"hiddenSize": 256, "layers": 2, "vocabSize": 1000,
                           "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 64},
                           "moe": {"type": "uniform", "experts": 8, "expertHidden": 256, "topK": 2}},
                 "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 1},
                 "workload": {"kind": "inference", "tokensPerStep": 1024, "sequenceLength": 128},
                 "serving": {"arrivals": {"type": "gamma", "ratePerSecond": 40, "burstiness": 2},
                             "promptTokens": {"type": "lognormal", "medianTokens": 100, "sigma": 0.5, "maxTokens": 1000},
                             "outputTokens": {"type": "uniform", "minTokens": 5, "maxTokens": 30},
                             "requests": 200, "slo": {"ttftMs": 50, "tpotMs": 5}}}
                """);
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("study", scenario.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : new String[] {"index.html", "latency-cdf.png", "throughput-vs-load.png", "p99-vs-load.png",
            "kv-batch-over-time.png", "results.json", "results.csv", "sweep.csv", "series.csv", "latency.csv"}) {
            assertThat(out.resolve(f)).exists();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.get("sweep").size()).isEqualTo(ServingStudy.LOAD_FACTORS.length);
        assertThat(json.at("/sweep/0/offeredRatePerSecond").asDouble()).isEqualTo(40 * ServingStudy.LOAD_FACTORS[0]);
        JsonNode cdf = json.at("/result/cdfs/ttft");
        assertThat(cdf.size()).isBetween(2, 100);
        assertThat(cdf.get(cdf.size() - 1).get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(Files.readString(out.resolve("index.html"))).contains("Throughput against offered load");
    }
}
