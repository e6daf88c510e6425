package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.evaluation.ExactGpuTime;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.persistence.Locality;
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
 * Three stages. (1) OptaPlanner 10 local search (Bavet constraint streams) started from the best
 * of {@code greedy}, {@code replicate}, (with spare slots) replicate's copy counts packed by
 * load alone and {@code fast}; replica counts and copy placement are searched together when spare slots exist.
 * Medium score: the exact grouped-GEMM time of the slowest GPU ({@link ExactGpuTime}); soft:
 * squared exact GPU times, squared all-to-all times, split co-activated pairs. The found placement
 * is priced again by the evaluator and kept only if it beats its start. (2) The
 * {@link PairExchangeDescent} brings the slowest GPUs down with exactly priced exchanges. (3) The
 * {@link ShareBalancer} re-splits replicated experts' tokens between their copies. Each stage
 * keeps its input unless it finds better, so the result is never worse than the baselines.
 */
public final class OptaPlannerStrategy implements PlacementStrategy {
    public static final String NAME = "optaplanner";
    /** Exact evaluations the share re-split may spend after the search. */
    static final int SHARE_EVALUATIONS = 400;

    private final SolverSettings settings;

    /** Uses counts scaled from the problem ({@link SolverSettings#counted}), its seconds as a clock cap. */
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
        long startNanos = System.nanoTime();
        SolverRun run = solve(context);
        // Copies placed by the search, the slowest GPUs brought down by exact exchanges, then the
        // tokens of replicated experts re-split between their copies.
        SolverSettings used = run.settings();
        if (used.spentMillis() > 0 && System.nanoTime() - startNanos >= used.spentMillis() * 1_000_000) {
            context.clockCap().markHit();
        }
        PairExchangeDescent.Result descended = new PairExchangeDescent(context.evaluator())
                .improve(run.chosen(), used.descentBudget(startNanos));
        if (descended.cutByClock()) {
            context.clockCap().markHit();
        }
        context.progress().accept(String.format(Locale.ROOT,
                "optaplanner: exact descent, max GPU time %.1f us (%d moves priced, %d restarts)",
                descended.evaluation().maxGpuTimeUs(), descended.candidates(), descended.restarts()));
        Placement balanced = context.problem().split() == TokenSplit.WEIGHTED
                ? new ShareBalancer(context.evaluator(), context.costs())
                        .balance(descended.placement(), descended.evaluation(), SHARE_EVALUATIONS)
                : descended.placement();
        return new Placement(NAME, balanced.gpuCount(), balanced.experts());
    }

    /** Runs the solver and returns both ends of the run. */
    public SolverRun solve(PlacementContext context) {
        PlacementEvaluator evaluator = context.evaluator();
        // Start from the best baseline by the exact evaluation: greedy, replicate, and replicate's
        // copy counts packed by load alone (no fixed count per GPU).
        List<Placement> starts = new ArrayList<>();
        starts.add(GreedyStrategy.pack(context.costs()));
        starts.add(new ReplicateStrategy().place(context));
        if (context.problem().spareSlots() > 0) {
            starts.add(ReplicateStrategy.pack(context.costs(), ReplicateStrategy.replicaCounts(context.costs()),
                    false));
        }
        // and the fast strategy's (EPLB or replicate, then a short exact descent), so the deep
        // search is never worse than fast
        starts.add(new FastStrategy().place(context));
        Placement initial = null;
        PlacementEvaluation initialEvaluation = null;
        for (Placement start : starts) {
            PlacementEvaluation evaluation = evaluator.evaluate(start);
            if (initialEvaluation == null || evaluation.betterThan(initialEvaluation)) {
                initial = start;
                initialEvaluation = evaluation;
            }
        }

        ExactGpuTime gpuTime = new ExactGpuTime(context.problem(), evaluator.costModel(),
                SolutionMapper.quantumUs(context.costs()));
        ExpertPlacementSolution problem = SolutionMapper.toSolution(context.costs(), initial,
                settings != null ? settings.extraCopiesPerExpert() : SolverSettings.DEFAULT_EXTRA_COPIES_PER_EXPERT,
                gpuTime, Locality.of(context.problem()));
        SolverSettings run = settings != null ? settings
                : SolverSettings.counted(context.problem(), problem.getCopies().size());
        SolverFactory<ExpertPlacementSolution> factory = SolverFactory.create(
                run.solverConfig(problem.getCopies().size(), problem.getGpus().size()));
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
                evaluator.evaluate(solved), run);
    }
}
