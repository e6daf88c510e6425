package org.mohge.cli.scenario;

import java.nio.file.Path;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;

/**
 * Turns the scenario's {@code placement.use} (a built-in name or a placement file) or a
 * {@code --placement} override into a {@link Placement} checked against the model and cluster.
 */
public final class PlacementResolver {
    private PlacementResolver() {
    }

    /**
     * @param scenarioFile the scenario's path; relative file names in it are resolved against its folder
     * @param override a placement file from the command line, or null
     */
    public static Placement resolve(ScenarioSpec scenario, Path scenarioFile, Path override) {
        int gpus = scenario.cluster().gpuCount();
        if (override != null) {
            return checked(StrictJson.read(override, Placement.class), override.toString(), scenario);
        }
        String use = scenario.placement().use();
        if (Placements.isBuiltIn(use)) {
            return Placements.builtIn(use, scenario.model().moe(), gpus);
        }
        Path file = resolveRelative(scenarioFile, use);
        if (!file.toFile().exists()) {
            throw new ScenarioException(scenarioFile + ": placement.use must be 'contiguous', 'group-decoupled' "
                    + "or an existing placement file, got '" + use + "'");
        }
        return checked(StrictJson.read(file, Placement.class), file.toString(), scenario);
    }

    /** A path written in a scenario, relative to the scenario's folder unless absolute. */
    public static Path resolveRelative(Path scenarioFile, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = scenarioFile.toAbsolutePath().getParent();
        Path besideScenario = dir == null ? p : dir.resolve(p);
        return besideScenario.toFile().exists() || !p.toFile().exists() ? besideScenario : p;
    }

    private static Placement checked(Placement placement, String file, ScenarioSpec scenario) {
        int gpus = scenario.cluster().gpuCount();
        int experts = scenario.model().moe().expertCount();
        if (placement.gpuCount() != gpus) {
            throw new ScenarioException(file + ": gpuCount must be " + gpus + " (the scenario's cluster), got "
                    + placement.gpuCount());
        }
        if (placement.expertCount() != experts) {
            throw new ScenarioException(file + ": experts must list all " + experts
                    + " experts of the model, got " + placement.expertCount());
        }
        return placement;
    }
}
