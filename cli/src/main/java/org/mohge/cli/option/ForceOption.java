package org.mohge.cli.option;

import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.WorkEstimate;
import picocli.CommandLine.Option;

/** {@code --force}: lets the commands that simulate ({@code simulate}, {@code study}) run past the time limit. */
public final class ForceOption {
    @Option(names = "--force", description = "Run even when the simulation is estimated to take over 15 minutes.")
    private boolean force;

    /** Refuses, before any work, a simulation of {@code s} estimated over the time limit unless forced. */
    public ScenarioSpec checked(ScenarioSpec s, Path file) {
        WorkEstimate.requireAffordable(s, file, force);
        return s;
    }
}
