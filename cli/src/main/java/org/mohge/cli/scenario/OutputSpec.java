package org.mohge.cli.scenario;

/** The scenario's {@code output} section: where reports and result files go (default {@code out/<name>}). */
public record OutputSpec(String dir) {
    public static OutputSpec defaults() {
        return new OutputSpec(null);
    }
}
