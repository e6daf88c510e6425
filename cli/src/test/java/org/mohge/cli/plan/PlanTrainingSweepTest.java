package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** {@code mohge plan} over parallel axes: a sweep whose base scenario has a training section. */
class PlanTrainingSweepTest {
    @TempDir
    Path dir;

    /** A small dense model (8 heads, 4 layers) on one node of 8 H100, GBS 16 x 1024 tokens. */
    private Path base() throws Exception {
        Path file = dir.resolve("base.json");
        Files.writeString(file, """
                {"name": "dense-base", "seed": 3,
                 "model": {"hiddenSize": 512, "layers": 4, "denseFfnHidden": 2048, "vocabSize": 1000,
                           "attention": {"type": "gqa", "heads": 8, "kvHeads": 2, "headDim": 64}},
                 "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 8},
                 "parallelism": {"tp": 1, "pp": 1, "distributedOptimizer": true},
                 "training": {"globalBatchSize": 16, "microBatchSize": 1, "sequenceLength": 1024}}
                """);
        return file;
    }

    private Path sweep(String axes) throws Exception {
        base();
        Path file = dir.resolve("sweep.json");
        Files.writeString(file, """
                {"name": "layouts", "base": "base.json", "axes": %s,
                 "target": {"minTokensPerSecond": 1000}, "pricePerGpuHour": {"h100-sxm": 2.5}}
                """.formatted(axes));
        return file;
    }

    @Test
    void sweepsTheLayoutListsImpossibleOnesWithTheirRuleAndPicksTheFastest() throws Exception {
        // tp 1, 2, 3 x pp 1, 2 = 6 points; tp 3 divides neither the 8 GPUs nor the 8 heads.
        Path file = sweep("{\"tp\": [1, 2, 3], \"pp\": [1, 2]}");
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("plan", file.toString(), "--out", out.toString(), "--json", "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode points = doc.get("points");
        assertThat(points.size()).isEqualTo(6);
        // p0005, p0006: tp 3.
        for (int i = 4; i < 6; i++) {
            assertThat(points.get(i).get("status").asText()).isEqualTo("invalid");
            assertThat(points.get(i).get("reason").asText()).contains("parallelism").contains("must divide");
        }
        // Each valid point's tokens/s is `mohge simulate`'s tokens/s/GPU x 8 on the same layout.
        int[][] layouts = {{1, 1}, {1, 2}, {2, 1}, {2, 2}};
        double fastest = 0;
        String fastestId = null;
        for (int i = 0; i < 4; i++) {
            JsonNode p = points.get(i);
            assertThat(p.get("status").asText()).as(p.get("label").asText()).isEqualTo("ok");
            assertThat(p.get("costPerHour").asDouble()).isEqualTo(8 * 2.5);
            Path scenario = dir.resolve("s" + i + ".json");
            Files.writeString(scenario, Files.readString(dir.resolve("base.json")).replace("\"tp\": 1, \"pp\": 1",
                    "\"tp\": " + layouts[i][0] + ", \"pp\": " + layouts[i][1]));
            CliRunner sim = CliRunner.run("simulate", scenario.toString(), "--json");
            assertThat(sim.exitCode()).as(sim.err()).isZero();
            double perGpu = new ObjectMapper().readTree(sim.out()).get("step").get("tokensPerSecondPerGpu").asDouble();
            assertThat(p.get("tokensPerSecond").asDouble()).isCloseTo(8 * perGpu, within(1e-6 * perGpu));
            if (perGpu > fastest) {
                fastest = perGpu;
                fastestId = p.get("id").asText();
            }
        }
        // Every point costs the same: the best is the fastest that meets the target.
        assertThat(doc.get("best").get("id").asText()).isEqualTo(fastestId);
        // results.csv: one row per point, the rule in its reason column.
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(0)).endsWith(",reason");
        assertThat(csv.get(5)).contains("invalid").contains("must divide");
    }

    @Test
    void aLayoutOverMemoryIsListedWithTheStageThatOverflows() throws Exception {
        // 32 sequences of 1024 tokens in one micro-batch with a 1M vocabulary: the fp32 logits alone are
        // 32 x 1024 x 1e6 x 4 bytes = 122 GiB, over the H100's 79.6 GiB; one sequence needs 3.8 GiB of them.
        Path file = sweep("{\"microBatchSize\": [1, 2]}");
        Files.writeString(dir.resolve("base.json"), Files.readString(dir.resolve("base.json"))
                .replace("\"vocabSize\": 1000", "\"vocabSize\": 1000000")
                .replace("\"globalBatchSize\": 16, \"microBatchSize\": 1",
                        "\"globalBatchSize\": 256, \"microBatchSize\": 1"));
        Files.writeString(file, Files.readString(file).replace("[1, 2]", "[1, 32]"));
        CliRunner r = CliRunner.run("plan", file.toString(), "--out", dir.resolve("o").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode points = new ObjectMapper().readTree(r.out()).get("points");
        assertThat(points.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(points.get(1).get("status").asText()).isEqualTo("does-not-fit");
        assertThat(points.get(1).get("reason").asText()).contains("pipeline stage 0 needs").contains("GiB per rank");
        assertThat(points.get(1).get("tokensPerSecond").isNull()).isTrue();
    }

    @Test
    void axesOfTheOtherKindAreRefusedInOneLine() throws Exception {
        CliRunner placement = CliRunner.run("plan", sweep("{\"placement\": [\"contiguous\"]}").toString(), "--out",
                dir.resolve("o").toString());
        assertThat(placement.exitCode()).isEqualTo(2);
        assertThat(placement.err()).contains("axes.placement does not apply to a training sweep");
        Path legacy = dir.resolve("legacy.json");
        Files.writeString(legacy, """
                {"name": "legacy", "base": "../../../scenarios/paper/mohge-4g-8xh100.json", "axes": {"tp": [1, 2]},
                 "target": {"minTokensPerSecond": 1000}, "pricePerGpuHour": {"h100-sxm": 2.5}}
                """.replace("../../../scenarios", Path.of("..", "scenarios").toAbsolutePath().normalize().toString()));
        CliRunner tp = CliRunner.run("plan", legacy.toString(), "--out", dir.resolve("o2").toString());
        assertThat(tp.exitCode()).isEqualTo(2);
        assertThat(tp.err()).contains("need a base scenario with a training section");
    }
}
