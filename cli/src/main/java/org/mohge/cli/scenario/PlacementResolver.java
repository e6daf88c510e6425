package org.mohge.cli.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.mohge.costmodel.deploy.LayeredPlacement;
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
        LayeredPlacement layered = resolveLayered(scenario, scenarioFile, override);
        if (!layered.hasOneMap()) {
            Path file = override != null ? override : resolveRelative(scenarioFile, scenario.placement().use());
            throw new ScenarioException(file + ": layers has " + layered.layers().size() + " maps; this command "
                    + "runs one layer and needs one map (give it a single-map placement file)");
        }
        return layered.placementFor(0);
    }

    /**
     * As {@link #resolve}, keeping one map per MoE layer: a placement file holds either one map
     * ({@code {"strategy", "gpuCount", "experts"}}, applied to every layer) or one per layer
     * ({@code {"strategy", "gpuCount", "layers": [{"layer", "experts"}]}}).
     */
    public static LayeredPlacement resolveLayered(ScenarioSpec scenario, Path scenarioFile, Path override) {
        int gpus = scenario.cluster().gpuCount();
        if (override != null) {
            return checked(read(override), override.toString(), scenario);
        }
        String use = scenario.placement().use();
        if (Placements.isBuiltIn(use)) {
            return LayeredPlacement.single(Placements.builtIn(use, scenario.model().moe(), gpus));
        }
        Path file = resolveRelative(scenarioFile, use);
        if (!file.toFile().exists()) {
            throw new ScenarioException(scenarioFile + ": placement.use must be 'contiguous', 'group-decoupled' "
                    + "or an existing placement file, got '" + use + "'");
        }
        return checked(read(file), file.toString(), scenario);
    }

    /** A placement file of either form. */
    public static LayeredPlacement read(Path file) {
        JsonNode tree = StrictJson.readTree(file);
        if (tree.isObject() && tree.has("layers")) {
            return StrictJson.convert(tree, file.toString(), LayeredPlacement.class);
        }
        return LayeredPlacement.single(StrictJson.convert(tree, file.toString(), Placement.class));
    }

    /** A path written in a scenario, relative to the scenario's folder unless absolute. */
    public static Path resolveRelative(Path scenarioFile, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        // Relative to the scenario's folder as the user named it, so messages show the path they would type.
        Path dir = scenarioFile.getParent();
        Path besideScenario = dir == null ? p : dir.resolve(p);
        return besideScenario.toFile().exists() || !p.toFile().exists() ? besideScenario : p;
    }

    private static LayeredPlacement checked(LayeredPlacement placement, String file, ScenarioSpec scenario) {
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
        int moeLayers = scenario.model().moeLayers();
        for (int i = 0; i < placement.layers().size(); i++) {
            int layer = placement.layers().get(i).layer();
            if (layer >= moeLayers) {
                throw new ScenarioException(file + ": layers[" + i + "].layer must name a MoE layer of the model (0.."
                        + (moeLayers - 1) + "), got " + layer);
            }
        }
        return placement;
    }
}
