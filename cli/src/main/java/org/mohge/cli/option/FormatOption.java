package org.mohge.cli.option;

import picocli.CommandLine.Option;

/** {@code --json}: print one JSON document on stdout instead of tables. */
public final class FormatOption {
    @Option(names = "--json", description = "Print exactly one JSON document on stdout instead of tables.")
    private boolean json;

    public boolean json() {
        return json;
    }
}
