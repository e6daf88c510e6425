package org.mohge.cli.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Loads and validates scenario files. */
public final class ScenarioLoader {
    private ScenarioLoader() {
    }

    public static ScenarioSpec load(Path file) {
        return StrictJson.read(file, ScenarioSpec.class);
    }

    /**
     * Whether a JSON document read for another purpose is a scenario (a model on a cluster), so that
     * a command given the wrong kind of file can say so instead of naming the first missing key.
     */
    public static boolean looksLikeScenario(JsonNode tree) {
        return tree.isObject() && tree.has("model") && tree.has("cluster");
    }
}
