package org.mohge.placement.strategy;

import java.util.function.Consumer;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluator;

/**
 * What a strategy sees: the problem, the evaluator (with its linearised cost table) and a sink
 * for progress lines (long-running strategies report there; the CLI prints them on stderr).
 */
public record PlacementContext(PlacementProblem problem, PlacementEvaluator evaluator, Consumer<String> progress,
                               ClockCap clockCap) {

    public PlacementContext {
        if (problem == null || evaluator == null || progress == null || clockCap == null) {
            throw new IllegalArgumentException("problem, evaluator, progress and clockCap are required");
        }
    }

    public PlacementContext(PlacementProblem problem, PlacementEvaluator evaluator, Consumer<String> progress) {
        this(problem, evaluator, progress, new ClockCap());
    }

    public PlacementContext(PlacementProblem problem, PlacementEvaluator evaluator) {
        this(problem, evaluator, line -> { });
    }

    public CopyCostTable costs() {
        return evaluator.costs();
    }
}
