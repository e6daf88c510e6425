package org.mohge.cli.option;

import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioException;
import picocli.CommandLine.Option;

/** {@code --placement FILE}: a placement file used instead of the scenario's {@code placement.use}. */
public final class PlacementOption {
    @Option(names = "--placement", paramLabel = "FILE", description = "Placement file to use instead of the scenario's.")
    private Path file;

    /** The file, or null when the scenario's placement applies. */
    public Path file() {
        return file;
    }

    /**
     * A training scenario places its experts by its layout (contiguous blocks over the EP ranks), so
     * a placement file would change nothing: refused in one line rather than silently ignored.
     */
    public void requireNoneForTraining(Path scenario) {
        if (file != null) {
            throw new ScenarioException("--placement " + file + ": not used for " + scenario + ", whose training "
                    + "section places the experts by its parallel layout; give it for a scenario without training");
        }
    }
}
