package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mohge.cli.CliRunner;

/** cost and simulate on the shipped training layouts: what they report, that they agree, and what fits. */
class TrainingStepCommandTest {
    private static final String DEEPSEEK = "../scenarios/real/deepseek-v3-training-2048xh800.json";
    private static final double GIB = 1024.0 * 1024 * 1024;

    private static JsonNode json(String command, String file) throws Exception {
        CliRunner r = CliRunner.run(command, file, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void deepSeekV3PublishedLayoutFitsIn80GbAndBothMethodsAgree() throws Exception {
        JsonNode cost = json("cost", DEEPSEEK).get("step");
        JsonNode sim = json("simulate", DEEPSEEK).get("step");
        // DeepSeek-V3 report (arXiv 2412.19437, 3.2): 2048 H800, PP16, EP64 over 8 nodes, ZeRO-1 DP.
        assertThat(cost.get("layout").asText()).isEqualTo("tp1 pp16 cp1 dp128 ep64 edp2 distopt");
        assertThat(cost.get("gpus").asInt()).isEqualTo(2048);
        // 15,360 sequences / (1 x 128) = 120 micro-batches; 15,360 x 4096 tokens.
        assertThat(cost.get("microBatches").asInt()).isEqualTo(120);
        assertThat(cost.get("tokensPerStep").asLong()).isEqualTo(15360L * 4096);
        for (JsonNode m : sim.get("memory")) {
            double total = m.get("weightBytes").asDouble() + m.get("gradientBytes").asDouble()
                    + m.get("optimizerBytes").asDouble() + m.get("activationBytes").asDouble();
            assertThat(total / GIB).as("stage " + m.get("stage")).isLessThan(80 * 1e9 / GIB);
        }
        // 1F1B keeps pp = 16 micro-batches on the first stage, one on the last.
        assertThat(sim.get("memory").get(0).get("inFlightMicroBatches").asDouble()).isEqualTo(16.0);
        assertThat(sim.get("memory").get(15).get("inFlightMicroBatches").asDouble()).isEqualTo(1.0);
        // simulate draws expert loads per micro-batch: stragglers only lengthen the mean-field step, by a bounded share.
        double costStep = cost.get("stepTimeUs").asDouble();
        assertThat(sim.get("stepTimeUs").asDouble()).isBetween(0.99 * costStep, 1.15 * costStep);
        assertThat(sim.get("folded").asText()).contains("one rank per pipeline stage");
        for (String kind : new String[] {"tpUs", "cpUs", "epUs", "ppUs", "dpUs"}) {
            assertThat(sim.get("exposed").has(kind)).isTrue();
        }
        // Model TFLOP/s per GPU is tokens/s/GPU times 3 x forward FLOPs per token: consistent fields.
        assertThat(sim.get("modelTflopsPerGpu").asDouble()).isPositive();
        assertThat(sim.get("mfu").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void textReportShowsTheLayoutAndTheBubble() {
        CliRunner r = CliRunner.run("simulate", "../scenarios/real/qwen3-30b-a3b-training-16xh100.json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("tp1 pp2 vp24 cp1 dp8 ep8 edp1 distopt a2a ep-overlap, interleaved")
                .contains("tokens/s/GPU:").contains("pipeline bubble:").contains("Memory per rank (GiB):");
    }
}
