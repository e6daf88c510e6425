package org.mohge.placement.solver;

import java.util.Locale;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.evaluation.ExactGpuTime;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.persistence.SolutionMapper;
import org.mohge.placement.strategy.GreedyStrategy;
import org.mohge.placement.strategy.PlacementContext;
import org.mohge.placement.strategy.PlacementStrategy;
import org.mohge.placement.strategy.ReplicateStrategy;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;

/**
 * OptaPlanner 10 local search (Bavet constraint streams) started from the better of
 * {@code greedy} and {@code replicate}; replica counts and copy placement are searched together
 * when spare slots exist. The solver scores with linearised copy costs; the found placement is
 * then priced exactly and kept only if it beats its start.
 */
public final class OptaPlannerStrategy implements PlacementStrategy {
    public static final String NAME = "optaplanner";

    private final SolverSettings settings;

    /** Uses the problem's time limits. */
    public OptaPlannerStrategy() {
        this.settings = null;
    }

    public OptaPlannerStrategy(SolverSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        Placement chosen = solve(context).chosen();
        return new Placement(NAME, chosen.gpuCount(), chosen.experts());
    }

    /** Runs the solver and returns both ends of the run. */
    public SolverRun solve(PlacementContext context) {
        PlacementEvaluator evaluator = context.evaluator();
        SolverSettings run = settings != null ? settings : SolverSettings.timed(context.problem());
        Placement greedy = GreedyStrategy.pack(context.costs());
        Placement replicate = new ReplicateStrategy().place(context);
        PlacementEvaluation greedyEvaluation = evaluator.evaluate(greedy);
        PlacementEvaluation replicateEvaluation = evaluator.evaluate(replicate);
        boolean fromReplicate = replicateEvaluation.betterThan(greedyEvaluation);
        Placement initial = fromReplicate ? replicate : greedy;
        PlacementEvaluation initialEvaluation = fromReplicate ? replicateEvaluation : greedyEvaluation;

        ExactGpuTime gpuTime = new ExactGpuTime(context.problem(), evaluator.costModel(),
                SolutionMapper.quantumUs(context.costs()));
        ExpertPlacementSolution problem = SolutionMapper.toSolution(context.costs(), initial,
                run.extraCopiesPerExpert(), gpuTime);
        SolverFactory<ExpertPlacementSolution> factory = SolverFactory.create(run.solverConfig());
        SolutionManager<ExpertPlacementSolution, HardMediumSoftLongScore> scores = SolutionManager.create(factory);
        HardMediumSoftLongScore initialScore = scores.update(problem);
        context.progress().accept(String.format(Locale.ROOT, "optaplanner: start from %s, score %s",
                initial.strategy(), initialScore));
        Solver<ExpertPlacementSolution> solver = factory.buildSolver();
        solver.addEventListener(event -> context.progress().accept(String.format(Locale.ROOT,
                "optaplanner: %.1f s, best score %s", event.getTimeMillisSpent() / 1000.0, event.getNewBestScore())));
        ExpertPlacementSolution best = solver.solve(problem);
        Placement solved = SolutionMapper.toPlacement(best, NAME);
        return new SolverRun(initial, initialScore, initialEvaluation, solved, best.getScore(),
                evaluator.evaluate(solved));
    }
}
