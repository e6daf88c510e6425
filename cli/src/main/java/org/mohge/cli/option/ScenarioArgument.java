package org.mohge.cli.option;

import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.WorkEstimate;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The scenario file every analysis command takes as its first argument, and {@code --force} for long runs. */
public final class ScenarioArgument {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario JSON file (see scenarios/README.md).")
    private Path file;
    @Option(names = "--force", description = "Run even when the simulation is estimated to take over 15 minutes.")
    private boolean force;

    public Path file() {
        return file;
    }

    public ScenarioSpec load() {
        return ScenarioLoader.load(file);
    }

    /** Loads the scenario and refuses, before any work, a simulation estimated over the time limit. */
    public ScenarioSpec loadForSimulation() {
        return checked(ScenarioLoader.load(file));
    }

    /** Applies the run-time limit to a scenario read another way. */
    public ScenarioSpec checked(ScenarioSpec s) {
        WorkEstimate.requireAffordable(s, file, force);
        return s;
    }
}
