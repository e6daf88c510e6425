package org.mohge.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mohge.cli.CliRunner;

/** Every scenario file shipped under scenarios/ loads and prices without error (a dense serving one with serve). */
class ShippedScenariosTest {
    static Stream<Path> scenarios() throws IOException {
        Path root = Path.of("..", "scenarios");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.startsWith(root.resolve("schema")))
                    .filter(ShippedScenariosTest::isScenario)
                    .sorted().toList().stream();
        }
    }

    private static boolean isScenario(Path p) {
        try {
            String text = Files.readString(p);
            return text.contains("\"model\"") && text.contains("\"cluster\"");
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void loadsAndPrices(Path file) {
        ScenarioSpec s = ScenarioLoader.load(file);
        if (s.model().isDense() && !s.hasLayout()) {
            // A dense serving scenario: the workload model of cost and simulate needs experts; serve prices it.
            CliRunner serve = CliRunner.run("serve", file.toString(), "--requests", "50", "--json");
            assertThat(serve.exitCode()).as(serve.err()).isZero();
            return;
        }
        CliRunner cost = CliRunner.run("cost", file.toString(), "--json");
        assertThat(cost.exitCode()).as(cost.err()).isZero();
        assertThat(cost.out()).contains("\"stepTimeUs\"");
        CliRunner sim = CliRunner.run("simulate", file.toString(), "--json");
        assertThat(sim.exitCode()).as(sim.err()).isZero();
    }
}
