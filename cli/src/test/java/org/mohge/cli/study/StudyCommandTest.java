package org.mohge.cli.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.reports.browser.BrowserChecks;

class StudyCommandTest {
    private static final Path SMALL = Path.of("..", "scenarios", "examples", "validate-mohge-small.json");

    @TempDir
    Path dir;

    @Test
    void smallStudyWritesEveryFileAndOpensCleanlyInChromium() throws Exception {
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("study", SMALL.toString(), "--out", out.toString(), "--seconds", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out.resolve("index.html"));
        for (String f : new String[] {"index.html", "results.json", "results.csv", "trace.json", "gpu-expert-time.png",
            "layer-imbalance.png", "stage-time.png", "stage-time-mean.png", "group-usage.png", "memory.png",
            "layer-timeline.png"}) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        // The slowest placement's timeline is drawn only when its step is over 1% slower than the best's.
        double fastest = Double.MAX_VALUE;
        double slowest = 0;
        for (JsonNode sim : results.get("simulations")) {
            fastest = Math.min(fastest, sim.get("stepTimeUs").asDouble());
            slowest = Math.max(slowest, sim.get("stepTimeUs").asDouble());
        }
        assertThat(Files.exists(out.resolve("layer-timeline-slowest.png"))).isEqualTo(slowest > 1.01 * fastest);
        // validate-mohge-small lists no strategies: the default seven, each simulated
        assertThat(results.get("placements").size()).isEqualTo(7);
        assertThat(results.get("simulations").size()).isEqualTo(7);
        assertThat(Files.readString(out.resolve("results.csv")).lines().count()).isEqualTo(8);
        assertThat(r.err()).contains("[study] simulating placement contiguous");
        BrowserChecks.assertOpensCleanly(out.resolve("index.html"), null);
    }

    @Test
    void validationOnTheCpuAddsPredictedAgainstMeasuredCharts() throws Exception {
        Path profile = dir.resolve("cpu.json");
        assertThat(CliRunner.run("calibrate", "--backend", "cpu", "--quick", "--out", profile.toString()).exitCode())
                .isZero();
        Path out = dir.resolve("validated");
        CliRunner r = CliRunner.run("study", SMALL.toString(), "--out", out.toString(), "--seconds", "1",
                "--validate", "cpu", "--calibration", profile.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("validation-scatter.png")).isNotEmptyFile();
        assertThat(out.resolve("validation-errors.png")).isNotEmptyFile();
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("Validation against a real execution", "Executed on cpu");
        assertThat(new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("validation").asText())
                .contains("Median |error|");
    }

    @Test
    void modelThatDoesNotFitGetsAProminentWarningInsteadOfTimes() throws Exception {
        String big = Files.readString(Path.of("..", "scenarios", "real", "mixtral-8x7b.json"))
                .replace("\"kind\": \"inference\"", "\"kind\": \"training\"")
                .replace("\"gpusPerNode\": 8", "\"gpusPerNode\": 2");
        Path scenario = dir.resolve("big.json");
        Files.writeString(scenario, big);
        Path out = dir.resolve("big-report");
        CliRunner r = CliRunner.run("study", scenario.toString(), "--out", out.toString(), "--seconds", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("WARNING: The model does not fit in GPU memory with any placement");
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("class=\"callout warning\">The model does not fit");
        assertThat(html).doesNotContain("step time (ms)");
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.get("simulations").size()).isZero();
    }

    @Test
    void comparisonStudyNamingAMissingScenarioFailsInOneLine() throws Exception {
        Path study = dir.resolve("study.json");
        Files.writeString(study, "{\"name\": \"s\", \"compare\": [\"" + SMALL.toAbsolutePath() + "\", \"nope.json\"]}");
        CliRunner r = CliRunner.run("study", study.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        // Checked before any design is simulated: the error is the only line.
        assertThat(r.err()).isEqualTo(study + ": compare[1].scenario names a missing file 'nope.json'"
                + System.lineSeparator());
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void comparisonStudyRefusesWhatItWouldSilentlyMisprice() throws Exception {
        Path uniform = Path.of("..", "scenarios", "paper", "uniform-64e-8xh100.json").toAbsolutePath();
        Path serving = Path.of("..", "scenarios", "serving", "qwen3-30b-a3b-1xh100.json").toAbsolutePath();
        Path study = dir.resolve("study.json");
        Files.writeString(study, "{\"name\": \"s\", \"compare\": [{\"scenario\": \"" + uniform
                + "\", \"groupBias\": 2.0}]}");
        CliRunner bias = CliRunner.run("study", study.toString(), "--out", dir.resolve("o").toString());
        assertThat(bias.exitCode()).isEqualTo(2);
        assertThat(bias.err()).isEqualTo(study + ": compare[0].groupBias needs a grouped (MoHGE) model, " + uniform
                + "'s is 'uniform'" + System.lineSeparator());
        Files.writeString(study, "{\"name\": \"s\", \"compare\": [\"" + SMALL.toAbsolutePath() + "\", \"" + serving
                + "\"]}");
        CliRunner serve = CliRunner.run("study", study.toString(), "--out", dir.resolve("o").toString());
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).startsWith(study + ": compare[1].scenario " + serving + " is a serving scenario");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aStudyRefusesAPlacementFileItWouldNotEvaluate() throws Exception {
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, Files.readString(SMALL).replace("\"use\": \"contiguous\"", "\"use\": \"p.json\""));
        CliRunner place = CliRunner.run("place", SMALL.toString(), "--strategies", "greedy", "--out",
                dir.resolve("p.json").toString());
        assertThat(place.exitCode()).as(place.err()).isZero();
        CliRunner r = CliRunner.run("study", scenario.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith(scenario + ": placement.use names a placement file (p.json), which a study "
                + "does not evaluate beside its strategies");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aTrainingDesignHasNoImbalanceAndSaysSoWithNull() throws Exception {
        Path training = Path.of("..", "scenarios", "real", "qwen3-30b-a3b-training-16xh100.json").toAbsolutePath();
        Path study = dir.resolve("study.json");
        Files.writeString(study, "{\"name\": \"s\", \"compare\": [\"" + SMALL.toAbsolutePath() + "\", \"" + training
                + "\"]}");
        CliRunner r = CliRunner.run("study", study.toString(), "--out", dir.resolve("cmp").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode designs = new ObjectMapper().readTree(r.out()).get("designs");
        assertThat(designs.get(0).get("imbalance").isNumber()).isTrue();
        assertThat(designs.get(1).get("imbalance").isNull()).isTrue();
        assertThat(designs.get(1).get("stepTimeUs").isNumber()).isTrue();
        assertThat(Files.readString(dir.resolve("cmp").resolve("results.csv"))).doesNotContain("NaN");
    }

    @Test
    void comparisonStudyOverridesPlacementAndReportsEachDesign() throws Exception {
        Path study = dir.resolve("study.json");
        Files.writeString(study, "{\"name\": \"s\", \"compare\": [\"" + SMALL.toAbsolutePath() + "\", {\"scenario\": \""
                + SMALL.toAbsolutePath() + "\", \"label\": \"<decoupled>\", \"placement\": \"group-decoupled\"}]}");
        Path out = dir.resolve("cmp");
        CliRunner r = CliRunner.run("study", study.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode designs = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("designs");
        assertThat(designs.get(0).get("placement").asText()).isEqualTo("contiguous");
        assertThat(designs.get(1).get("placement").asText()).isEqualTo("group-decoupled");
        // same model: same parameter count, placement changes balance only
        assertThat(designs.get(0).get("totalParams").asLong()).isEqualTo(designs.get(1).get("totalParams").asLong());
        assertThat(Files.readString(out.resolve("index.html"))).contains("&lt;decoupled&gt;");
    }

    /**
     * A two-layer load profile: the study places each layer from its own loads, its placement table
     * gives each strategy's mean over the two layers of what `place` reports per layer, and the report
     * shows the simulated imbalance of every MoE layer (4) under each placement, before and after.
     */
    @Test
    void perLayerProfileIsPlacedPerLayerAndReportedPerLayer() throws Exception {
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (int e = 0; e < 24; e++) {
            first.append(e > 0 ? ", " : "").append(e < 4 ? 400 : 100);
            second.append(e > 0 ? ", " : "").append(e >= 20 ? 400 : 100);
        }
        Files.writeString(dir.resolve("loads.json"), "{\"layers\": [{\"layer\": 0, \"expertLoads\": [" + first
                + "]}, {\"layer\": 1, \"expertLoads\": [" + second + "]}]}");
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, Files.readString(SMALL).replace("\"placement\": {\"use\": \"contiguous\"}",
                "\"placement\": {\"use\": \"contiguous\", \"strategies\": [\"contiguous\", \"fast\"], "
                        + "\"loadProfile\": \"loads.json\"}"));
        Path out = dir.resolve("per-layer");
        CliRunner r = CliRunner.run("study", scenario.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        CliRunner place = CliRunner.run("place", scenario.toString(), "--json");
        assertThat(place.exitCode()).as(place.err()).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode layers = json.readTree(place.out()).get("layers");
        JsonNode placements = json.readTree(out.resolve("results.json").toFile()).get("placements");
        for (int s = 0; s < 2; s++) {
            double mean = (layers.get(0).get("strategies").get(s).get("imbalance").asDouble()
                    + layers.get(1).get("strategies").get(s).get("imbalance").asDouble()) / 2;
            assertThat(placements.get(s).get("imbalance").asDouble()).as(placements.get(s).get("strategy").asText())
                    .isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        }
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("Imbalance per MoE layer before and after placement",
                "Each of the 2 profiled MoE layers is placed from its own loads");
        JsonNode sims = json.readTree(out.resolve("results.json").toFile()).get("simulations");
        assertThat(sims.size()).isEqualTo(2);
        assertThat(sims.get(0).get("layers").size()).isEqualTo(4);
    }
}
