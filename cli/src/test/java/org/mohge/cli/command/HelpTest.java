package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.cli.CliRunner;

/** Every error line ends "(see 'mohge CMD --help')": every command must answer that. */
class HelpTest {
    private static final List<String> COMMANDS = List.of("study", "plan", "params", "cost", "simulate", "serve",
            "place", "bench", "calibrate", "validate", "schema");

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExamples() {
        for (String command : COMMANDS) {
            CliRunner r = CliRunner.run(command, "--help");
            assertThat(r.exitCode()).as(command + ": " + r.err()).isZero();
            assertThat(r.out()).as(command).contains("Usage: mohge " + command).containsIgnoringCase("example");
        }
    }

    @Test
    void onlyTheCommandsThatSimulateOfferForce() {
        for (String command : COMMANDS) {
            boolean offers = CliRunner.run(command, "--help").out().contains("--force");
            assertThat(offers).as(command).isEqualTo(command.equals("simulate") || command.equals("study"));
        }
    }
}
