package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mohge.cli.CliRunner;

/**
 * The shipped real-model scenarios against the parameter counts their model cards publish.
 * Totals must be within 1%. Activated counts are published rounded (Qwen3 "3.3B", DeepSeek-V3
 * "37B"), so they must be within 1% of the interval the rounded figure stands for (figure +- half
 * a unit of its last digit). Sources: Mixtral of Experts paper (arXiv 2401.04088): 46.7B total,
 * 12.9B active; Qwen3-30B-A3B model card: 30.5B total, 3.3B activated; DeepSeek-V3 technical
 * report (arXiv 2412.19437): 671B total, 37B activated (main model, without the MTP module).
 */
class RealModelParamsTest {
    private static final Path REAL = Path.of("..", "scenarios", "real");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "mixtral-8x7b.json, 46.7e9, 12.9e9, 0.05e9",
        "qwen3-30b-a3b.json, 30.5e9, 3.3e9, 0.05e9",
        "deepseek-v3.json, 671e9, 37e9, 0.5e9",
        "mixtral-8x7b-training-64xh100.json, 46.7e9, 12.9e9, 0.05e9",
        "qwen3-30b-a3b-training-16xh100.json, 30.5e9, 3.3e9, 0.05e9",
        "deepseek-v3-training-2048xh800.json, 671e9, 37e9, 0.5e9"})
    void matchesPublishedFigures(String file, double total, double activated, double halfUnit) throws Exception {
        CliRunner r = CliRunner.run("params", REAL.resolve(file).toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("totalParams").isIntegralNumber()).isTrue();
        assertThat(json.get("activatedParams").isIntegralNumber()).isTrue();
        double ourTotal = json.get("totalParams").asDouble();
        double ourActivated = json.get("activatedParams").asDouble();
        assertThat(Math.abs(ourTotal / total - 1)).as("total %s vs %s", ourTotal, total).isLessThanOrEqualTo(0.01);
        assertThat(ourActivated).as("activated").isBetween((activated - halfUnit) * 0.99, (activated + halfUnit) * 1.01);
    }
}
