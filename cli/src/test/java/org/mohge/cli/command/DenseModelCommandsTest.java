package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** A model without a moe section in every command: priced as a training step, refused where experts are needed. */
class DenseModelCommandsTest {
    private static final Path LLAMA_8B = Path.of("..", "scenarios", "published", "llama3-8b-8xh100.json");

    @TempDir
    Path dir;

    /** A small dense model on 8 H100: 4 layers over pp 4, tp 2, so dp 1, 8 micro-batches of 1 x 1024 tokens. */
    private Path smallDense() throws Exception {
        Path file = dir.resolve("dense.json");
        Files.writeString(file, """
                {"name": "dense-small", "seed": 7,
                 "model": {"hiddenSize": 512, "layers": 4, "denseFfnHidden": 2048, "vocabSize": 1000,
                           "attention": {"type": "gqa", "heads": 8, "kvHeads": 2, "headDim": 64}},
                 "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 8},
                 "parallelism": {"tp": 2, "pp": 4, "distributedOptimizer": true},
                 "training": {"globalBatchSize": 8, "microBatchSize": 1, "sequenceLength": 1024}}
                """);
        return file;
    }

    @Test
    void paramsOfLlama3_8bIsItsPublishedCount() throws Exception {
        CliRunner r = CliRunner.run("params", LLAMA_8B.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        // 8,030,261,248: Meta-Llama-3-8B's safetensors count (hand count in DenseModelTest).
        assertThat(json.get("totalParams").asLong()).isEqualTo(8_030_261_248L);
        assertThat(json.get("moeKind").asText()).isEqualTo("dense");
        assertThat(json.get("groups")).isEmpty();
        assertThat(CliRunner.run("params", LLAMA_8B.toString()).out()).contains("(dense, 32 layers)");
    }

    @Test
    void costAndSimulateAgreeOnADenseStep() throws Exception {
        Path file = smallDense();
        CliRunner cost = CliRunner.run("cost", file.toString(), "--json");
        CliRunner sim = CliRunner.run("simulate", file.toString(), "--json");
        assertThat(cost.exitCode()).as(cost.err()).isZero();
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(cost.out()).get("step");
        JsonNode s = new ObjectMapper().readTree(sim.out()).get("step");
        // Equal stages but for the embedding and LM head: the closed form and the event core within 2%.
        assertThat(s.get("stepTimeUs").asDouble()).isCloseTo(c.get("stepTimeUs").asDouble(),
                within(0.02 * c.get("stepTimeUs").asDouble()));
        // 8 sequences of 1024 tokens per step.
        assertThat(c.get("tokensPerStep").asLong()).isEqualTo(8L * 1024);
        assertThat(c.get("exposed").get("epUs").asDouble()).isZero();
        assertThat(s.get("folded").asText()).contains("dense model");
    }

    @Test
    void studyOfATrainingScenarioDrawsThePipelineOneStagePerRow() throws Exception {
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("study", smallDense().toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : new String[] {"index.html", "results.json", "results.csv", "trace.json", "pipeline.png",
            "memory.png"}) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        // One Perfetto process per pipeline stage (pp 4), named "stage s".
        JsonNode trace = new ObjectMapper().readTree(out.resolve("trace.json").toFile());
        Set<String> processes = new HashSet<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if (e.get("name").asText().equals("process_name")) {
                processes.add(e.get("args").get("name").asText());
            }
        }
        assertThat(processes).containsExactlyInAnyOrder("stage 0", "stage 1", "stage 2", "stage 3");
        // results.csv: a header and one row per stage.
        assertThat(Files.readString(out.resolve("results.csv")).lines().count()).isEqualTo(5);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        CliRunner sim = CliRunner.run("simulate", smallDense().toString(), "--json");
        assertThat(results.get("simulated").get("stepTimeUs").asDouble())
                .isEqualTo(new ObjectMapper().readTree(sim.out()).get("step").get("stepTimeUs").asDouble());
        assertThat(Files.readString(out.resolve("index.html"))).contains("Pipeline").contains("Memory per rank");
    }

    @Test
    void placeRefusesADenseModelInOneLine() throws Exception {
        CliRunner r = CliRunner.run("place", smallDense().toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).contains("dense.json").contains("no experts to place").doesNotContain("\n");
    }

    @Test
    void aDenseModelNeedsATrainingSectionAndNoExpertParallelism() throws Exception {
        Path noTraining = dir.resolve("w.json");
        Files.writeString(noTraining, Files.readString(smallDense())
                .replace("\"parallelism\": {\"tp\": 2, \"pp\": 4, \"distributedOptimizer\": true},", "")
                .replace("\"training\": {\"globalBatchSize\": 8, \"microBatchSize\": 1, \"sequenceLength\": 1024}",
                        "\"workload\": {\"kind\": \"training\", \"tokensPerStep\": 8192, \"sequenceLength\": 1024}"));
        CliRunner r = CliRunner.run("cost", noTraining.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("training is required for a dense model");
        Path ep = dir.resolve("ep.json");
        Files.writeString(ep, Files.readString(smallDense()).replace("\"tp\": 2, \"pp\": 4,", "\"pp\": 4, \"ep\": 2,"));
        CliRunner e = CliRunner.run("simulate", ep.toString());
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.err()).contains("parallelism.ep must be 1 for a dense model");
    }

    @Test
    void aComparisonStudyWeighsADenseBaselineAgainstAMoeDesign() throws Exception {
        Path dense = smallDense();
        // The same body with 8 experts of 2048, top-2, instead of the dense FFN of 2048.
        Path moe = dir.resolve("moe.json");
        Files.writeString(moe, Files.readString(dense).replace("\"name\": \"dense-small\"", "\"name\": \"moe-small\"")
                .replace("\"denseFfnHidden\": 2048,", "")
                .replace("\"headDim\": 64}}", "\"headDim\": 64},\n \"moe\": {\"type\": \"uniform\", \"experts\": 8, "
                        + "\"expertHidden\": 2048, \"topK\": 2}}"));
        Path study = dir.resolve("compare.json");
        Files.writeString(study, "{\"name\": \"dense-vs-moe\", \"compare\": [\"dense.json\", \"moe.json\"]}");
        CliRunner r = CliRunner.run("study", study.toString(), "--out", dir.resolve("cmp").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode designs = new ObjectMapper().readTree(r.out()).get("designs");
        assertThat(designs.get(0).get("moeKind").asText()).isEqualTo("dense");
        assertThat(designs.get(1).get("moeKind").asText()).isEqualTo("uniform");
        // Each row's step is `mohge simulate`'s.
        for (int i = 0; i < 2; i++) {
            CliRunner sim = CliRunner.run("simulate", (i == 0 ? dense : moe).toString(), "--json");
            assertThat(sim.exitCode()).as(sim.err()).isZero();
            assertThat(designs.get(i).get("stepTimeUs").asDouble())
                    .isEqualTo(new ObjectMapper().readTree(sim.out()).get("step").get("stepTimeUs").asDouble());
        }
    }

    @Test
    void aDenseModelServesAndEveryDecodeStepReadsItsWeights() throws Exception {
        Path serving = Path.of("..", "scenarios", "serving", "llama3-8b-1xh100.json");
        CliRunner r = CliRunner.run("serve", serving.toString(), "--requests", "200", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out()).get("result");
        assertThat(result.get("completed").asInt()).isEqualTo(200);
        // A decode step streams every weight at least once: 8,030,261,248 x 2 bytes over the H100's
        // 3,350 GB/s is 4.79 ms, a floor under every time per output token.
        double floorMs = 8_030_261_248.0 * 2 / 3350e9 * 1e3;
        assertThat(result.get("tpot").get("p50Ms").asDouble()).isGreaterThan(floorMs);
        assertThat(result.get("expertImbalance").asDouble()).isEqualTo(1.0);
        // The workload model prices expert-parallel layers: cost and simulate refuse it in one line.
        CliRunner cost = CliRunner.run("cost", serving.toString());
        assertThat(cost.exitCode()).isEqualTo(2);
        assertThat(cost.err().strip()).contains("a dense model").doesNotContain("\n");
    }
}
