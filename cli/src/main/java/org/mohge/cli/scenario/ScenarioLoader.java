package org.mohge.cli.scenario;

import java.nio.file.Path;

/** Loads and validates scenario files. */
public final class ScenarioLoader {
    private ScenarioLoader() {
    }

    public static ScenarioSpec load(Path file) {
        return StrictJson.read(file, ScenarioSpec.class);
    }
}
