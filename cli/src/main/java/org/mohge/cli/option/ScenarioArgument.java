package org.mohge.cli.option;

import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import picocli.CommandLine.Parameters;

/** The scenario file every analysis command takes as its first argument. */
public final class ScenarioArgument {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario JSON file (see scenarios/README.md).")
    private Path file;

    public Path file() {
        return file;
    }

    public ScenarioSpec load() {
        return ScenarioLoader.load(file);
    }
}
