package org.mohge.cli.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.profile.GpuProfile;
import org.mohge.costmodel.profile.GpuProfiles;

/**
 * {@code mohge bench fidelity} on the shipped suite: the published figures as PUBLISHED.md copies
 * them, predictions recomputed from the JSON, FLOPs per token counted by hand from the models'
 * configs, and the step time equal to {@code mohge cost}'s. The errors are printed, not asserted.
 */
class FidelitySuiteTest {
    private static final String SUITE = "../scenarios/published";
    /** Megatron-Bridge performance-summary.md @00b7660, 25.11, DGX-H100: tokens/s/GPU, model TFLOP/s/GPU. */
    private static final Map<String, double[]> PUBLISHED = Map.of(
            "LLAMA3_8B", new double[] {14451, 744},
            "LLAMA3_70B", new double[] {1602, 719},
            "LLAMA3.1_405B", new double[] {292, 737},
            "GPT OSS 120B", new double[] {5630, 153},
            "Qwen3_30B_a3B", new double[] {5275, 121});

    private static JsonNode suiteJson() throws Exception {
        CliRunner r = CliRunner.run("bench", "fidelity", "--suite", SUITE, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void everyPublishedRowIsListedWithItsPublishedFigures() throws Exception {
        JsonNode suite = suiteJson();
        Map<String, JsonNode> byModel = new HashMap<>();
        suite.get("rows").forEach(r -> byModel.put(r.get("model").asText(), r));
        suite.get("notPriced").forEach(r -> byModel.put(r.get("model").asText(), r));
        assertThat(byModel.keySet()).containsExactlyInAnyOrderElementsOf(PUBLISHED.keySet());
        PUBLISHED.forEach((model, figures) -> {
            JsonNode r = byModel.get(model);
            assertThat(r.get("publishedTokensPerSecondPerGpu").asDouble()).as(model).isEqualTo(figures[0]);
            assertThat(r.get("publishedModelTflopsPerGpu").asDouble()).as(model).isEqualTo(figures[1]);
            assertThat(r.get("source").asText()).as(model).contains("Megatron-Bridge").contains("DGX-H100");
            assertThat(r.get("modelConfig").asText()).as(model).isNotBlank();
        });
        // Every row, the dense Llama ones included, has a scenario and is priced.
        assertThat(suite.get("notPriced")).isEmpty();
        assertThat(suite.get("rows")).hasSize(5);
    }

    /**
     * The whole-step figures a profile stores (and every report prints) are the suite's for that
     * GPU: recomputed here from a fresh run, over the suite's rows and its independent checks run
     * on that GPU, dense and MoE models apart, the median and worst |error| of tokens/s per GPU,
     * naively (sort, middle), rounded as the profile states them, and how many were predicted faster
     * than published.
     */
    @Test
    void everyProfileStatesTheSuitesCurrentErrorsForItsGpu() throws Exception {
        Map<String, List<Double>> errors = signedErrorsByGpuAndKind(suiteJson());
        for (String gpu : List.of("h100-sxm", "h200-sxm", "h800", "b200")) {
            GpuProfile.WholeStepFidelity stated = GpuProfiles.find(gpu).orElseThrow().wholeSteps();
            String refresh = gpu + ": costmodel/src/main/resources/profiles/" + gpu + ".json wholeSteps is stale; "
                    + "set it from ./mohge bench fidelity";
            List<Double> dense = errors.get(gpu + " dense");
            List<Double> moe = errors.get(gpu + " moe");
            if (dense == null && moe == null) {
                assertThat(stated).as(gpu + " has no published run, so its profile states none").isNull();
                continue;
            }
            assertThat(stated).as(refresh).isNotNull();
            assertSameFigures(stated.dense(), dense, refresh + " (dense)");
            assertSameFigures(stated.moe(), moe, refresh + " (MoE)");
        }
    }

    /** The suite's own summary per GPU and kind agrees with the naive count from its rows' scenarios. */
    @Test
    void theSuiteSumsUpEachGpuAndKindAsTheProfilesMustState() throws Exception {
        JsonNode suite = suiteJson();
        Map<String, List<Double>> errors = signedErrorsByGpuAndKind(suite);
        assertThat(suite.get("wholeSteps")).hasSize(errors.size());
        for (JsonNode k : suite.get("wholeSteps")) {
            List<Double> signed = errors.get(k.get("gpu").asText() + " " + k.get("kind").asText());
            assertThat(signed).as(k.toString()).isNotNull();
            GpuProfile.StepErrors stated = new GpuProfile.StepErrors(k.get("runs").asInt(),
                    k.get("medianAbsErrorPct").asDouble(), k.get("worstAbsErrorPct").asDouble(),
                    k.get("fasterRuns").asInt());
            assertSameFigures(stated, signed, k.toString());
        }
    }

    /**
     * The rankings, recounted naively: runs grouped by their scenario file's raw {@code model} JSON
     * and GPU name (not by the parsed model), every pair of a group whose published figures are at
     * least 10% apart, ordered as published when the published-faster run is also predicted faster.
     */
    @Test
    void rankingsCountEveryPairOfOneModelOnOneGpuPublishedTenPercentApart() throws Exception {
        JsonNode suite = suiteJson();
        ObjectMapper mapper = new ObjectMapper();
        Map<String, List<double[]>> groups = new HashMap<>();
        Map<String, String> gpuOf = new HashMap<>();
        for (Object[] part : new Object[][] {{suite.get("rows"), Path.of(SUITE)},
                {suite.get("checks").get("rows"), Path.of(SUITE, "checks")}}) {
            for (JsonNode r : (JsonNode) part[0]) {
                JsonNode scenario = mapper.readTree(((Path) part[1]).resolve(r.get("scenario").asText()).toFile());
                String gpu = scenario.get("cluster").get("gpu").asText();
                String key = gpu + " " + scenario.get("model");
                gpuOf.put(key, gpu);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {
                    r.get("publishedTokensPerSecondPerGpu").asDouble(), r.get("predictedTokensPerSecondPerGpu").asDouble()});
            }
        }
        int pairs = 0;
        int agreeing = 0;
        Map<String, int[]> byGpu = new HashMap<>(); // {pairs, agreeing}
        for (Map.Entry<String, List<double[]>> group : groups.entrySet()) {
            List<double[]> runs = group.getValue();
            for (int i = 0; i < runs.size(); i++) {
                for (int j = i + 1; j < runs.size(); j++) {
                    double[] a = runs.get(i);
                    double[] b = runs.get(j);
                    if (Math.max(a[0], b[0]) / Math.min(a[0], b[0]) < 1.10) {
                        continue;
                    }
                    int[] counts = byGpu.computeIfAbsent(gpuOf.get(group.getKey()), g -> new int[2]);
                    pairs++;
                    counts[0]++;
                    if ((a[0] > b[0]) == (a[1] > b[1])) {
                        agreeing++;
                        counts[1]++;
                    }
                }
            }
        }
        // Each profile states its GPU's figures, as every report's cost-model line prints them.
        for (String gpu : List.of("h100-sxm", "h200-sxm", "h800", "b200")) {
            GpuProfile.WholeStepFidelity stated = GpuProfiles.find(gpu).orElseThrow().wholeSteps();
            GpuProfile.Rankings rankings = stated == null ? null : stated.rankings();
            int[] counts = byGpu.get(gpu);
            String refresh = gpu + ": costmodel/src/main/resources/profiles/" + gpu + ".json wholeSteps.rankings is "
                    + "stale; set it from ./mohge bench fidelity --json";
            if (counts == null) {
                assertThat(rankings).as(refresh).isNull();
            } else {
                assertThat(rankings).as(refresh).isEqualTo(new GpuProfile.Rankings(counts[0], counts[1]));
            }
        }
        JsonNode rankings = suite.get("rankings");
        assertThat(rankings.get("pairs")).hasSize(pairs);
        assertThat(rankings.get("agreeing").asInt()).isEqualTo(agreeing);
        for (JsonNode p : rankings.get("pairs")) {
            assertThat(p.get("publishedRatio").asDouble()).isGreaterThanOrEqualTo(1.10);
            assertThat(p.get("agrees").asBoolean()).isEqualTo(p.get("predictedRatio").asDouble() > 1);
        }
        System.out.printf(Locale.ROOT, "rankings: %d of %d pairs ordered as published%n", agreeing, pairs);
    }

    private static Map<String, List<Double>> signedErrorsByGpuAndKind(JsonNode suite) {
        Map<String, List<Double>> errors = new HashMap<>();
        collectErrors(suite.get("rows"), Path.of(SUITE), errors);
        collectErrors(suite.get("checks").get("rows"), Path.of(SUITE, "checks"), errors);
        return errors;
    }

    private static void collectErrors(JsonNode rows, Path dir, Map<String, List<Double>> errors) {
        for (JsonNode r : rows) {
            ScenarioSpec s = ScenarioLoader.load(dir.resolve(r.get("scenario").asText()));
            String key = s.cluster().gpu().name() + (s.model().isDense() ? " dense" : " moe");
            errors.computeIfAbsent(key, g -> new ArrayList<>()).add(r.get("tokensErrorPct").asDouble());
        }
    }

    private static void assertSameFigures(GpuProfile.StepErrors stated, List<Double> errors, String refresh) {
        if (errors == null) {
            assertThat(stated).as(refresh).isNull();
            return;
        }
        List<Double> sorted = errors.stream().map(Math::abs).sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        assertThat(stated).as(refresh).isNotNull();
        assertThat(stated.runs()).as(refresh).isEqualTo(n);
        assertThat(stated.medianAbsErrorPct()).as(refresh).isCloseTo(median, within(0.05));
        assertThat(stated.worstAbsErrorPct()).as(refresh).isCloseTo(sorted.get(n - 1), within(0.05));
        assertThat(stated.fasterRuns()).as(refresh).isEqualTo((int) errors.stream().filter(e -> e > 0).count());
    }

    @Test
    void predictionsAndErrorsFollowFromTheStepTime() throws Exception {
        JsonNode suite = suiteJson();
        // GBS x sequence length: 512 x 4096 for both MoE rows, 128 (512 for 405B) x 8192 for the Llama rows.
        Map<String, Long> tokensPerStep = Map.of("GPT OSS 120B", 512L * 4096, "Qwen3_30B_a3B", 512L * 4096,
                "LLAMA3_8B", 128L * 8192, "LLAMA3_70B", 128L * 8192, "LLAMA3.1_405B", 512L * 8192);
        Map<String, Integer> gpus = Map.of("GPT OSS 120B", 64, "Qwen3_30B_a3B", 16, "LLAMA3_8B", 8, "LLAMA3_70B", 64,
                "LLAMA3.1_405B", 1024);
        List<Double> absErrors = new ArrayList<>();
        for (JsonNode r : suite.get("rows")) {
            String model = r.get("model").asText();
            assertThat(r.get("tokensPerStep").asLong()).as(model).isEqualTo(tokensPerStep.get(model));
            assertThat(r.get("gpus").asInt()).as(model).isEqualTo(gpus.get(model));
            double stepS = r.get("stepTimeMs").asDouble() / 1e3;
            double predicted = tokensPerStep.get(model) / stepS / gpus.get(model);
            assertThat(r.get("predictedTokensPerSecondPerGpu").asDouble()).as(model)
                    .isCloseTo(predicted, within(1e-9 * predicted));
            double published = PUBLISHED.get(model)[0];
            double error = (predicted - published) / published * 100;
            assertThat(r.get("tokensErrorPct").asDouble()).as(model).isCloseTo(error, within(1e-6));
            double tflopsPublished = PUBLISHED.get(model)[1];
            double tflopsError = (r.get("predictedModelTflopsPerGpu").asDouble() - tflopsPublished)
                    / tflopsPublished * 100;
            assertThat(r.get("tflopsErrorPct").asDouble()).as(model).isCloseTo(tflopsError, within(1e-6));
            // The published rate implies a step of tokens / (rate x GPUs): 512 x 4096 / (5630 x 64) s for GPT OSS.
            double publishedStepMs = tokensPerStep.get(model) / (published * gpus.get(model)) * 1e3;
            assertThat(r.get("publishedStepTimeMs").asDouble()).as(model)
                    .isCloseTo(publishedStepMs, within(1e-9 * publishedStepMs));
            assertThat(r.get("publishedGflopPerToken").asDouble()).as(model)
                    .isCloseTo(tflopsPublished * 1e3 / published, within(1e-9));
            absErrors.add(Math.abs(error));
            System.out.printf(Locale.ROOT, "fidelity %-14s published %6.0f predicted %8.0f tokens/s/GPU, error %+.1f%%%n",
                    model, published, predicted, error);
        }
        absErrors.sort(null);
        double median = absErrors.get(2); // five priced rows
        assertThat(suite.get("medianAbsTokensErrorPct").asDouble()).isCloseTo(median, within(1e-9));
        assertThat(suite.get("maxAbsTokensErrorPct").asDouble()).isCloseTo(absErrors.get(4), within(1e-9));
        System.out.printf(Locale.ROOT, "fidelity median |error| %.1f%%, worst %.1f%%%n", median, absErrors.get(4));
    }

    @Test
    void modelFlopsPerTokenMatchAHandCountOfThePublishedConfigs() throws Exception {
        // 3 x forward FLOPs: 2 x active weights (attention projections, router, top-k SwiGLU experts, LM head)
        // plus the causal attention core, 4 x (s / 2) x heads x headDim per layer.
        // Qwen3-30B-A3B: h 2048, 48 layers, 32 q / 4 kv heads of 128, 128 experts of 768, top-8, vocab 151936.
        double qwenWeights = 48 * (2048.0 * (4096 + 512 + 512) + 4096.0 * 2048 + 2048.0 * 128 + 8 * 3 * 2048.0 * 768)
                + 2048.0 * 151936;
        double qwen = 3 * (2 * qwenWeights + 48 * 4 * 2048.0 * 32 * 128);
        // gpt-oss-120b: h 2880, 36 layers, 64 q / 8 kv heads of 64, 128 experts of 2880, top-4, vocab 201088.
        double gptWeights = 36 * (2880.0 * (4096 + 512 + 512) + 4096.0 * 2880 + 2880.0 * 128 + 4 * 3 * 2880.0 * 2880)
                + 2880.0 * 201088;
        // Its 18 sliding layers (every other one, window 128) attend to (128 x 129 / 2 + 3968 x 128) / 4096
        // = 126.016 keys on average, the 18 full ones to s / 2.
        double gpt = 3 * (2 * gptWeights + 18 * 4 * 2048.0 * 64 * 64 + 18 * 4 * 126.016 * 64 * 64);
        // Llama 3 (dense, SwiGLU, GQA with 8 kv heads of 128, vocab 128256, sequence 8192): per layer the q, k, v
        // and o projections h x (h + 1024 + 1024) + h x h and the FFN 3 x h x f; the core 4 x 4096 x heads x 128.
        double llama8 = llamaFlopsPerToken(32, 4096, 14336, 32);
        double llama70 = llamaFlopsPerToken(80, 8192, 28672, 64);
        double llama405 = llamaFlopsPerToken(126, 16384, 53248, 128);
        Map<String, Double> flopsPerToken = Map.of("Qwen3_30B_a3B", qwen, "GPT OSS 120B", gpt, "LLAMA3_8B", llama8,
                "LLAMA3_70B", llama70, "LLAMA3.1_405B", llama405);
        // An independent oracle for the dense rows: the published TFLOP/s over tokens/s (744e12 / 14451 =
        // 51.48 GFLOP for 8B) is Megatron's own count, which the hand count must meet within 1%.
        assertThat(llama8).isCloseTo(744e12 / 14451, within(0.01 * llama8));
        assertThat(llama70).isCloseTo(719e12 / 1602, within(0.01 * llama70));
        assertThat(llama405).isCloseTo(737e12 / 292, within(0.01 * llama405));
        for (JsonNode r : suiteJson().get("rows")) {
            String model = r.get("model").asText();
            double perToken = r.get("predictedModelTflopsPerGpu").asDouble() * 1e12
                    / r.get("predictedTokensPerSecondPerGpu").asDouble();
            assertThat(perToken).as(model).isCloseTo(flopsPerToken.get(model), within(0.01 * perToken));
            assertThat(r.get("predictedGflopPerToken").asDouble() * 1e9).as(model)
                    .isCloseTo(flopsPerToken.get(model), within(0.01 * perToken));
        }
    }

    /** 3 x forward FLOPs of a Llama 3 shape at sequence 8192 (8 kv heads of 128, vocab 128256). */
    private static double llamaFlopsPerToken(int layers, double h, double ffn, int heads) {
        double weights = layers * (h * (h + 1024 + 1024) + h * h + 3 * h * ffn) + h * 128256;
        return 3 * (2 * weights + layers * 4 * 4096.0 * heads * 128);
    }

    @Test
    void breakdownAddsUpToTheStepTimeThatCostReports() throws Exception {
        for (JsonNode r : suiteJson().get("rows")) {
            String model = r.get("model").asText();
            JsonNode b = r.get("breakdown");
            double parts = 0;
            for (String part : List.of("computeMs", "hostMs", "tpMs", "cpMs", "epMs", "ppMs", "bubbleMs", "dpMs", "optimizerMs")) {
                assertThat(b.get(part).asDouble()).as(model + " " + part).isGreaterThanOrEqualTo(0);
                parts += b.get(part).asDouble();
            }
            double step = r.get("stepTimeMs").asDouble();
            assertThat(b.get("otherMs").asDouble()).as(model).isCloseTo(0, within(1e-6 * step));
            assertThat(parts).as(model).isCloseTo(step, within(1e-6 * step));
            // The same step as `mohge cost --json` on the scenario.
            CliRunner cost = CliRunner.run("cost", SUITE + "/" + r.get("scenario").asText(), "--json");
            assertThat(cost.exitCode()).as(cost.err()).isZero();
            JsonNode costStep = new ObjectMapper().readTree(cost.out());
            assertThat(costStep.get("step").get("stepTimeUs").asDouble() / 1e3).as(model)
                    .isCloseTo(step, within(1e-9 * step));
            assertThat(r.get("costModel").asText()).isEqualTo(costStep.get("costModel").asText());
            // Peak memory and fit: weights + gradients + optimizer + activations of cost's fullest rank.
            double peak = 0;
            boolean fits = true;
            for (JsonNode m : costStep.get("step").get("memory")) {
                double total = m.get("weightBytes").asDouble() + m.get("gradientBytes").asDouble()
                        + m.get("optimizerBytes").asDouble() + m.get("activationBytes").asDouble();
                peak = Math.max(peak, total);
                fits &= total <= m.get("capacityBytes").asDouble();
            }
            assertThat(r.get("peakMemoryGiB").asDouble() * 1024 * 1024 * 1024).as(model)
                    .isCloseTo(peak, within(1e-6 * peak));
            assertThat(r.get("fits").asBoolean()).as(model).isEqualTo(fits);
        }
    }

    @Test
    void textTableShowsEveryRunAndTheTarget() {
        CliRunner r = CliRunner.run("bench", "fidelity", "--suite", SUITE);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("GPT OSS 120B").contains("Qwen3_30B_a3B").contains("5630").contains("5275")
                .contains("LLAMA3_8B").contains("14451").contains("LLAMA3.1_405B").doesNotContain("not priced")
                .contains("Where the predicted step time goes")
                .contains("target (").contains("NOT met");
    }

    @Test
    void aScenarioThatDisagreesWithItsPublishedRunIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(SUITE, "qwen3-30b-a3b-16xh100.json"), dir.resolve("q.json"));
        Files.writeString(dir.resolve(FidelitySuite.REFERENCE_FILE), """
                [{"model": "Qwen3_30B_a3B", "scenario": "q.json", "gpus": 16, "precision": "FP8-CS",
                  "layout": "TP1 PP2 VP24 EP8", "globalBatchSize": 256, "microBatchSize": 2, "sequenceLength": 4096,
                  "tokensPerSecondPerGpu": 5275, "modelTflopsPerGpu": 121, "source": "test",
                  "modelConfig": "test"}]
                """);
        CliRunner r = CliRunner.run("bench", "fidelity", "--suite", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("q.json").contains("globalBatchSize is 512 but the published run has 256");
    }

    @Test
    void aScenarioWithAnotherLayoutOrPrecisionIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(SUITE, "qwen3-30b-a3b-16xh100.json"), dir.resolve("q.json"));
        String row = """
                [{"model": "Qwen3_30B_a3B", "scenario": "q.json", "gpus": 16, "precision": "%s",
                  "layout": "%s", "globalBatchSize": 512, "microBatchSize": 2, "sequenceLength": 4096,
                  "tokensPerSecondPerGpu": 5275, "modelTflopsPerGpu": 121, "source": "test", "modelConfig": "test"}]
                """;
        Files.writeString(dir.resolve(FidelitySuite.REFERENCE_FILE), String.format(row, "FP8-CS", "TP1 PP4 VP24 CP1 EP8"));
        CliRunner pp = CliRunner.run("bench", "fidelity", "--suite", dir.toString());
        assertThat(pp.exitCode()).isEqualTo(2);
        assertThat(pp.err()).contains("parallelism.pp is 2 but the published run has 4");
        Files.writeString(dir.resolve(FidelitySuite.REFERENCE_FILE), String.format(row, "FP8-CS", "FSDP TP1 PP2"));
        assertThat(CliRunner.run("bench", "fidelity", "--suite", dir.toString()).err())
                .contains("parallelism.fsdp is false but the published run used FSDP");
        Files.writeString(dir.resolve(FidelitySuite.REFERENCE_FILE), String.format(row, "BF16", "TP1 PP2 VP24 CP1 EP8"));
        assertThat(CliRunner.run("bench", "fidelity", "--suite", dir.toString()).err())
                .contains("precision.recipe is fp8-tensorwise but the published run used BF16");
        Files.writeString(dir.resolve(FidelitySuite.REFERENCE_FILE), String.format(row, "FP8-CS", "TP1 PP2 VP24 CP1 EP8"));
        assertThat(CliRunner.run("bench", "fidelity", "--suite", dir.toString()).exitCode()).isZero();
    }

    @Test
    void outWritesTheSameDocumentAsJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fidelity.json");
        CliRunner r = CliRunner.run("bench", "fidelity", "--suite", SUITE, "--json", "--out", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(file.toFile())).isEqualTo(mapper.readTree(r.out()));
    }

    @Test
    void medianOfAnEvenAndAnOddCount() {
        assertThat(CalibrationFitter.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(CalibrationFitter.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
