package org.mohge.cli.scenario;

import java.nio.file.Path;
import java.util.List;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.CoActivation;
import org.mohge.placement.CoActivationFile;
import org.mohge.sim.routing.RoutingLoads;
import org.mohge.sim.routing.RoutingSpec;

/** Inputs derived from a scenario and the files it names, resolved against the scenario's folder. */
public final class ScenarioInputs {
    private ScenarioInputs() {
    }

    /** The routing section with its trace path resolved against the scenario's folder. */
    public static RoutingSpec routing(ScenarioSpec s, Path scenarioFile) {
        RoutingSpec routing = s.routing();
        if (routing.tracePath() == null) {
            return routing;
        }
        return routing.withTracePath(PlacementResolver.resolveRelative(scenarioFile, routing.tracePath()).toString());
    }

    /** What the expert loads come from, and the loads. */
    public record Loads(String source, LoadProfile profile) {
    }

    /**
     * Expert loads for placement: {@code override} (a --load-profile file), else the scenario's
     * {@code placement.loadProfile}, else the routing model's expected loads.
     */
    public static Loads loads(ScenarioSpec s, Path scenarioFile, Path override) {
        Path file = override;
        if (file == null && s.placement().loadProfile() != null) {
            file = PlacementResolver.resolveRelative(scenarioFile, s.placement().loadProfile());
        }
        if (file == null) {
            return new Loads("the routing model",
                    RoutingLoads.expectedLoads(s.model(), s.workload(), routing(s, scenarioFile), s.seed()));
        }
        LoadProfile profile = StrictJson.read(file, LoadProfile.class);
        int experts = s.model().moe().expertCount();
        if (profile.expertCount() != experts) {
            throw new ScenarioException(file + ": layers[0].expertLoads must have one entry per expert of the model ("
                    + experts + "), got " + profile.expertCount());
        }
        int moeLayers = s.model().moeLayers();
        for (int i = 0; i < profile.layers().size(); i++) {
            int layer = profile.layers().get(i).layer();
            if (layer >= moeLayers) {
                throw new ScenarioException(file + ": layers[" + i + "].layer must name a MoE layer of the model (0.."
                        + (moeLayers - 1) + "), got " + layer);
            }
        }
        return new Loads(file.toString(), profile);
    }

    /**
     * Co-activated expert pairs for node locality: {@code override} (a --co-activation file), else the
     * scenario's {@code placement.coActivation}, else none.
     */
    public static List<CoActivation> coActivation(ScenarioSpec s, Path scenarioFile, Path override) {
        Path file = override;
        if (file == null && s.placement().coActivation() != null) {
            file = PlacementResolver.resolveRelative(scenarioFile, s.placement().coActivation());
        }
        if (file == null) {
            return List.of();
        }
        List<CoActivation> pairs = StrictJson.read(file, CoActivationFile.class).pairs();
        int experts = s.model().moe().expertCount();
        for (int i = 0; i < pairs.size(); i++) {
            CoActivation p = pairs.get(i);
            int worst = Math.max(p.expertA(), p.expertB());
            if (worst >= experts) {
                throw new ScenarioException(file + ": pairs[" + i + "] names expert " + worst
                        + ", the model has experts 0.." + (experts - 1));
            }
        }
        return pairs;
    }
}
