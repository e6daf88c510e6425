package org.mohge.cli.scenario;

import java.nio.file.Path;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.sim.InputFileException;
import org.mohge.sim.TrainingSimulator;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;

/**
 * A training scenario's step as {@code simulate} runs it, for every command that needs it
 * ({@code simulate}, {@code study}, {@code plan}): expert loads drawn from the scenario's routing
 * model (none for a dense model), relative paths resolved against {@code file}.
 */
public final class TrainingRuns {
    private TrainingRuns() {
    }

    public static TrainingSimulator.TrainingRun simulate(ScenarioSpec s, Path file, CostModel costModel) {
        return TrainingSimulator.run(s.model(), s.layout(), s.resolvedPrecision(), costModel,
                s.routing().maxNodesPerToken(), routing(s, file), s.seed());
    }

    private static RoutingModel routing(ScenarioSpec s, Path file) {
        if (s.model().isDense()) {
            return null; // no experts to route to
        }
        try {
            return RoutingModels.create(s.model(), s.workload(), ScenarioInputs.routing(s, file), s.seed());
        } catch (InputFileException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
    }
}
