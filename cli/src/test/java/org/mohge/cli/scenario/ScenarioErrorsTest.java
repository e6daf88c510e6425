package org.mohge.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** Every kind of bad scenario input gives exactly one line on stderr, naming file, path and rule, and exit 2. */
class ScenarioErrorsTest {
    private static final String GOOD = """
            {"name": "x", "seed": 1,
             "model": {"hiddenSize": 64, "layers": 2, "vocabSize": 100,
                       "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 16},
                       "moe": {"type": "grouped",
                               "groups": [{"expertHidden": 32, "experts": 4}, {"expertHidden": 64, "experts": 4}],
                               "topGroups": 1, "topExpertsPerGroup": 2}},
             "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 2},
             "workload": {"kind": "training", "tokensPerStep": 1024, "sequenceLength": 128}}
            """;

    @TempDir
    Path dir;

    private CliRunner params(String json) throws IOException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, json);
        return CliRunner.run("params", file.toString());
    }

    private void assertOneLine(CliRunner r, String expected) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(dir.resolve("s.json") + ": " + expected + System.lineSeparator());
    }

    @Test
    void goodScenarioLoads() throws IOException {
        CliRunner r = params(GOOD);
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void outOfRangeValueInAListNamesTheIndex() throws IOException {
        assertOneLine(params(GOOD.replace("{\"expertHidden\": 64, \"experts\": 4}", "{\"expertHidden\": -5, \"experts\": 4}")),
                "model.moe.groups[1].expertHidden must be > 0, got -5");
    }

    @Test
    void inconsistentNumbers() throws IOException {
        assertOneLine(params(GOOD.replace("\"topGroups\": 1", "\"topGroups\": 3")),
                "model.moe.topGroups must be <= the number of groups (2), got 3");
        assertOneLine(params(GOOD.replace("\"kvHeads\": 2", "\"kvHeads\": 3")),
                "model.attention.kvHeads must divide heads (4), got 3");
    }

    @Test
    void jacksonsWordingForNaNAndHugeNumbersIsPlain() throws IOException {
        CliRunner nan = params(GOOD.replace("\"hiddenSize\": 64", "\"hiddenSize\": NaN"));
        assertThat(nan.exitCode()).isEqualTo(2);
        assertThat(nan.err().strip()).startsWith(dir.resolve("s.json") + ": malformed JSON at line 2, column ")
                .endsWith(": 'NaN' is not a JSON number; write a number");
        assertOneLine(params(GOOD.replace("\"hiddenSize\": 64", "\"hiddenSize\": 1099511627776")),
                "model.hiddenSize must be at most 2147483647, got 1099511627776");
    }

    @Test
    void sharedExpertsNeedAWidth() throws IOException {
        assertOneLine(params(GOOD.replace("\"topExpertsPerGroup\": 2", "\"topExpertsPerGroup\": 2, \"sharedExperts\": 1")),
                "model.moe.sharedExpertHidden must be > 0 when sharedExperts > 0 (it is missing or 0)");
    }

    @Test
    void unknownKey() throws IOException {
        assertOneLine(params(GOOD.replace("\"layers\": 2", "\"layers\": 2, \"layer\": 3")),
                "model.layer is not a known key (allowed: attention, denseActivation, denseFfnHidden, denseLayers, dtype, "
                        + "hiddenSize, "
                        + "layers, moe, tieEmbeddings, vocabSize)");
    }

    @Test
    void wrongTypes() throws IOException {
        assertOneLine(params(GOOD.replace("\"layers\": 2", "\"layers\": \"2\"")),
                "model.layers must be an integer, got a string");
        assertOneLine(params(GOOD.replace("\"layers\": 2", "\"layers\": 2.5")),
                "model.layers must be an integer, got 2.5");
        assertOneLine(params(GOOD.replace("\"vocabSize\": 100", "\"vocabSize\": 100, \"tieEmbeddings\": 1")),
                "model.tieEmbeddings must be true or false, got 1");
        assertOneLine(params(GOOD.replace("\"groups\": [", "\"groups\": {\"a\": 1}, \"x\": [")),
                "model.moe.groups must be an array, got an object");
    }

    @Test
    void missingRequiredValues() throws IOException {
        assertOneLine(params(GOOD.replace("\"hiddenSize\": 64, ", "")), "model.hiddenSize is required");
        assertOneLine(params(GOOD.replace("\"seed\": 1,", "")), "seed is required");
        assertOneLine(params(GOOD.replace("\"type\": \"grouped\",", "")),
                "model.moe.type is required (one of uniform, heterogeneous, grouped)");
    }

    @Test
    void explicitNullIsRejected() throws IOException {
        assertOneLine(params(GOOD.replace("\"vocabSize\": 100", "\"vocabSize\": null")),
                "model.vocabSize must not be null (leave an optional key out to use its default)");
    }

    @Test
    void unknownVariantsAndCatalogNames() throws IOException {
        assertOneLine(params(GOOD.replace("\"type\": \"grouped\"", "\"type\": \"banded\"")),
                "model.moe.type must be one of uniform, heterogeneous, grouped, got 'banded'");
        assertOneLine(params(GOOD.replace("\"h100-sxm\"", "\"h900\"")),
                "cluster.gpu unknown GPU 'h900' (catalog: a100-sxm-80gb, h100-sxm, h800, h200-sxm, b200)");
        assertOneLine(params(GOOD.replace("\"kind\": \"training\"", "\"kind\": \"serving\"")),
                "workload.kind must be one of training, inference, got \"serving\"");
    }

    @Test
    void malformedJson() throws IOException {
        assertOneLine(params(GOOD.replace("\"seed\": 1,", "\"seed\": 1")),
                "malformed JSON at line 2, column 2: Unexpected character ('\"' (code 34)): was expecting comma to "
                        + "separate Object entries");
        assertOneLine(params(GOOD + "{}"), "malformed JSON: content after the end of the document");
        assertOneLine(params(""), "malformed JSON: the file is empty");
    }

    @Test
    void duplicateKey() throws IOException {
        CliRunner r = params(GOOD.replace("\"seed\": 1,", "\"seed\": 1, \"seed\": 2,"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith(dir.resolve("s.json") + ": malformed JSON at line 1").contains("Duplicate field 'seed'");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void unreadableFile() {
        Path missing = dir.resolve("missing.json");
        CliRunner r = CliRunner.run("params", missing.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(missing + ": cannot read file (no such file)" + System.lineSeparator());
        CliRunner folder = CliRunner.run("params", dir.toString());
        assertThat(folder.exitCode()).isEqualTo(2);
        assertThat(folder.err().lines()).hasSize(1);
        assertThat(folder.err()).startsWith(dir + ": cannot read file");
    }

    @Test
    void crossSectionRule() throws IOException {
        assertOneLine(params(GOOD.replace("\"tokensPerStep\": 1024", "\"tokensPerStep\": 1")),
                "workload.tokensPerStep must give every GPU at least one token per micro-batch (2 GPUs x 1 "
                        + "micro-batches), got 1");
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, GOOD.replace("\"topGroups\": 1", "\"topGroups\": 3"));
        CliRunner r = CliRunner.run("params", file.toString(), "--debug");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().count()).isGreaterThan(3);
        assertThat(r.err()).contains("at org.mohge");
    }

    private static final String TRAINING = GOOD.replace(
            "\"workload\": {\"kind\": \"training\", \"tokensPerStep\": 1024, \"sequenceLength\": 128}",
            "\"training\": {\"globalBatchSize\": 8, \"microBatchSize\": 1, \"sequenceLength\": 128},"
                    + " \"parallelism\": {\"pp\": 2}");

    @Test
    void aTrainingSequenceLongerThanAMicroBatchIsRefused() throws IOException {
        // 1024 tokens in one micro-batch hold no 2048-token sequence.
        assertOneLine(params(GOOD.replace("\"sequenceLength\": 128}", "\"sequenceLength\": 2048}")),
                "workload.sequenceLength must be <= the 1024 tokens of a training micro-batch (tokensPerStep 1024 / 1 "
                        + "micro-batches), got 2048");
        // A training section's short sequences are whole micro-batches of their own: no workload rule applies.
        CliRunner shortSequences = params(TRAINING.replace("\"sequenceLength\": 128}", "\"sequenceLength\": 2}"));
        assertThat(shortSequences.exitCode()).as(shortSequences.err()).isZero();
    }

    @Test
    void precisionsTheGpusTensorCoresCannotRunAreRefused() throws IOException {
        // An A100 has no fp8 tensor cores; Hopper's run fp8 but not the MX formats.
        assertOneLine(params(TRAINING.replace("\"h100-sxm\"", "\"a100-sxm-80gb\"")
                        .replace("\"parallelism\": {\"pp\": 2}", "\"parallelism\": {\"pp\": 2}, "
                                + "\"precision\": {\"recipe\": \"fp8-tensorwise\"}")),
                "precision.recipe fp8-tensorwise runs fp8 GEMMs or exchanges, which need fp8 tensor cores; "
                        + "the a100-sxm-80gb lacks them (use bf16)");
        assertOneLine(params(TRAINING.replace("\"parallelism\": {\"pp\": 2}", "\"parallelism\": {\"pp\": 2}, "
                        + "\"precision\": {\"recipe\": \"mxfp8\"}")),
                "precision.recipe mxfp8 needs tensor cores that run the MX formats (Blackwell and later), which the "
                        + "h100-sxm lacks; use fp8-blockwise or fp8-tensorwise");
        CliRunner blackwell = params(TRAINING.replace("\"h100-sxm\"", "\"b200\"")
                .replace("\"parallelism\": {\"pp\": 2}", "\"parallelism\": {\"pp\": 2}, "
                        + "\"precision\": {\"recipe\": \"mxfp8\"}"));
        assertThat(blackwell.exitCode()).as(blackwell.err()).isZero();
    }

    @Test
    void trainingLayoutLoads() throws IOException {
        CliRunner r = params(TRAINING);
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void impossibleLayoutsAreOneLineNamingKeyAndRule() throws IOException {
        assertOneLine(params(TRAINING.replace("\"pp\": 2", "\"pp\": 2, \"ep\": 3")),
                "parallelism.ep etp x ep = 1 x 3 = 3 must divide tp x cp x dp = 1 (the MoE part folds over the same GPUs)");
        assertOneLine(params(TRAINING.replace("\"pp\": 2", "\"pp\": 1, \"vp\": 2")),
                "parallelism.vp must be 1 when pp = 1 (virtual stages split pipeline ranks), got 2");
        assertOneLine(params(TRAINING.replace("\"pp\": 2", "\"tp\": 3")),
                "parallelism tp x pp x cp = 3 x 1 x 1 = 3 must divide the cluster's 2 GPUs");
        assertOneLine(params(TRAINING.replace("\"globalBatchSize\": 8, \"microBatchSize\": 1",
                        "\"globalBatchSize\": 7, \"microBatchSize\": 2")),
                "training.globalBatchSize must be a multiple of microBatchSize x dp = 2 x 1 = 2, got 7");
        assertOneLine(params(TRAINING.replace("\"pp\": 2", "\"pp\": 2, \"shards\": 2")),
                "parallelism.shards is not a known key (allowed: commSms, cp, dispatcher, distributedOptimizer, "
                        + "embeddingInPipelineSplit, ep, epOverlap, etp, firstStageLayers, fsdp, lastStageLayers, lossInPipelineSplit, pp, sequenceParallel, tp, vp)");
        assertOneLine(params(TRAINING.replace("\"sequenceLength\": 128}", "\"sequenceLength\": 128, "
                        + "\"recompute\": \"some\"}")),
                "training.recompute must be one of none, selective, full, got \"some\"");
    }
}
