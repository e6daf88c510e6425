package org.mohge.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.strategy.ClockCap;
import org.mohge.placement.strategy.PlacementContext;
import org.mohge.placement.strategy.PlacementStrategy;

/** Runs strategies on one problem and judges each with the same evaluator. */
public final class PlacementRunner {
    private final PlacementProblem problem;
    private final PlacementEvaluator evaluator;

    public PlacementRunner(PlacementProblem problem, CostModel costModel) {
        this.problem = problem;
        this.evaluator = new PlacementEvaluator(problem, costModel);
    }

    public PlacementEvaluator evaluator() {
        return evaluator;
    }

    /** Runs the named strategies in order; {@code progress} receives progress lines. */
    public PlacementComparison run(List<String> strategies, Consumer<String> progress) {
        List<PlacementStrategy> list = new ArrayList<>();
        for (String name : strategies) {
            list.add(PlacementStrategies.byName(name));
        }
        return runStrategies(list, progress);
    }

    public PlacementComparison runStrategies(List<PlacementStrategy> strategies, Consumer<String> progress) {
        List<PlacementResult> results = new ArrayList<>();
        for (PlacementStrategy strategy : strategies) {
            PlacementContext context = new PlacementContext(problem, evaluator, progress, new ClockCap());
            progress.accept("placing with " + strategy.name());
            long start = System.nanoTime();
            Placement placement = strategy.place(context);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (context.clockCap().hit()) {
                progress.accept(strategy.name() + ": cut short by the " + problem.solverSeconds()
                        + " s clock cap before its move budget; the result depends on machine speed and load");
            }
            results.add(new PlacementResult(strategy.name(), placement, evaluator.evaluate(placement), seconds,
                    context.clockCap().hit()));
        }
        return new PlacementComparison(evaluator.lowerBounds(), results);
    }
}
