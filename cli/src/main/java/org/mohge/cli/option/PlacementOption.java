package org.mohge.cli.option;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --placement FILE}: a placement file used instead of the scenario's {@code placement.use}. */
public final class PlacementOption {
    @Option(names = "--placement", paramLabel = "FILE", description = "Placement file to use instead of the scenario's.")
    private Path file;

    /** The file, or null when the scenario's placement applies. */
    public Path file() {
        return file;
    }
}
