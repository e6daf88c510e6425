package org.mohge.placement.solver;

import org.mohge.placement.PlacementProblem;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

/**
 * How the solver runs: environment mode, random seed and when to stop, laid over
 * {@code expertPlacementSolverConfig.xml} (next to this class in the resources): one
 * late-acceptance local search (a short list of 50 steps, which beat the default 400, tabu search
 * and great deluge on the benchmark instances) over change and swap moves, started from the
 * baseline solution (no construction phase: the start is complete).
 *
 * <p>Search length is set by counts, so the same problem and seed give the same placement on any
 * machine under any load: score calculations and unimproved steps for the search, priced moves
 * and restarts for the descent ({@link #counted(PlacementProblem, int)} scales them from the
 * instance). The clock limits ({@code spentMillis}, {@code descentMillis}) are an optional cap
 * (0 = none); a run they cut short is reported as such.
 *
 * @param spentMillis       clock cap on the search (0 = none)
 * @param unimprovedMillis  clock cap without a new best solution (0 = none; kept for tests)
 * @param stepCountLimit    stop after this many steps (0 = no such limit)
 * @param bestScoreLimit    stop once the best score reaches this (a {@code HardMediumSoftLongScore} string)
 * @param extraCopiesPerExpert spare-copy entities per expert the solver may switch on
 * @param descentMillis     clock cap on search and descent together, from the start (0 = none)
 * @param scoreCalculationLimit stop the search after this many score calculations (0 = no such limit)
 * @param unimprovedStepLimit   stop the search after this many steps without a better solution (0 = none)
 * @param descentCandidates most moves the {@link PairExchangeDescent} prices
 * @param descentRestarts   most restarts of the descent
 * @param unimprovedRestarts restarts in a row without a better placement that end the descent
 */
public record SolverSettings(EnvironmentMode environmentMode, long randomSeed, long spentMillis,
                             long unimprovedMillis, int stepCountLimit, String bestScoreLimit,
                             int extraCopiesPerExpert, long descentMillis, long scoreCalculationLimit,
                             int unimprovedStepLimit, long descentCandidates, int descentRestarts,
                             int unimprovedRestarts) {

    public static final int DEFAULT_EXTRA_COPIES_PER_EXPERT = 3;
    /** Share of a clock cap the OptaPlanner search gets; the exact descent gets the rest. */
    static final double SEARCH_SHARE = 0.5;
    /** Most moves the descent prices in one run without counts scaled from an instance. */
    static final long DESCENT_CANDIDATES = 20_000_000;
    /** The solver configuration this class overrides per run (environment mode, seed, limits). */
    static final String CONFIG_RESOURCE = "org/mohge/placement/solver/expertPlacementSolverConfig.xml";
    static final long MIN_MOVES_PER_STEP = 10_000;
    /**
     * Score calculations of the search per copy entity, and its bounds: about 2 s of the
     * constraint streams (7-9 x 10^4 per second on an idle core of the development machine) at the top.
     */
    static final long SCORE_CALCULATIONS_PER_ENTITY = 800;
    static final long MIN_SCORE_CALCULATIONS = 20_000;
    static final long MAX_SCORE_CALCULATIONS = 150_000;
    /** Steps without a better solution that end the search, per copy entity (at least 1000). */
    static final int UNIMPROVED_STEPS_PER_ENTITY = 10;
    /**
     * Moves the descent prices per (expert x GPU) pair, and its bounds: about 2 s of the descent
     * (1.4-2.6 million moves per second on an idle core) at the top.
     */
    static final long DESCENT_CANDIDATES_PER_PAIR = 1_000;
    static final long MIN_DESCENT_CANDIDATES = 200_000;
    static final long MAX_DESCENT_CANDIDATES = 3_000_000;
    static final int DESCENT_RESTARTS = 100;
    static final int UNIMPROVED_RESTARTS = 20;

    public SolverSettings {
        if (spentMillis == 0 && unimprovedMillis == 0 && stepCountLimit == 0 && bestScoreLimit.isEmpty()
                && scoreCalculationLimit == 0 && unimprovedStepLimit == 0) {
            throw new IllegalArgumentException("the solver needs at least one termination limit");
        }
    }

    /**
     * Counts scaled from the instance ({@code entities} copy entities, the problem's experts and
     * GPUs), the problem's seed, and the problem's {@code solverSeconds} as a clock cap when finite
     * ({@link #SEARCH_SHARE} of it for the search).
     */
    public static SolverSettings counted(PlacementProblem problem, int entities) {
        long calculations = Math.max(MIN_SCORE_CALCULATIONS,
                Math.min(MAX_SCORE_CALCULATIONS, SCORE_CALCULATIONS_PER_ENTITY * entities));
        int unimprovedSteps = Math.max(1000, UNIMPROVED_STEPS_PER_ENTITY * entities);
        long candidates = Math.max(MIN_DESCENT_CANDIDATES, Math.min(MAX_DESCENT_CANDIDATES,
                DESCENT_CANDIDATES_PER_PAIR * problem.expertCount() * problem.gpuCount()));
        long spent = 0;
        long total = 0;
        if (problem.capsClock()) {
            total = Math.max(1, Math.round(problem.solverSeconds() * 1000));
            spent = Math.max(1, Math.round(total * SEARCH_SHARE));
        }
        return new SolverSettings(EnvironmentMode.REPRODUCIBLE, problem.seed(), spent, 0, 0, "",
                DEFAULT_EXTRA_COPIES_PER_EXPERT, total, calculations, unimprovedSteps, candidates, DESCENT_RESTARTS,
                UNIMPROVED_RESTARTS);
    }

    /** A fixed number of local-search steps and a single descent: the same result on every machine. */
    public static SolverSettings steps(long seed, int steps) {
        return new SolverSettings(EnvironmentMode.REPRODUCIBLE, seed, 0, 0, steps, "", DEFAULT_EXTRA_COPIES_PER_EXPERT,
                0, 0, 0, DESCENT_CANDIDATES, 0, 0);
    }

    public SolverSettings withEnvironmentMode(EnvironmentMode mode) {
        return new SolverSettings(mode, randomSeed, spentMillis, unimprovedMillis, stepCountLimit, bestScoreLimit,
                extraCopiesPerExpert, descentMillis, scoreCalculationLimit, unimprovedStepLimit, descentCandidates,
                descentRestarts, unimprovedRestarts);
    }

    public SolverSettings withBestScoreLimit(String limit) {
        return new SolverSettings(environmentMode, randomSeed, spentMillis, unimprovedMillis, stepCountLimit, limit,
                extraCopiesPerExpert, descentMillis, scoreCalculationLimit, unimprovedStepLimit, descentCandidates,
                descentRestarts, unimprovedRestarts);
    }

    /** The descent's budget for a run that started at {@code startNanos} (a {@link System#nanoTime()} value). */
    public PairExchangeDescent.Budget descentBudget(long startNanos) {
        return new PairExchangeDescent.Budget(descentCandidates, descentRestarts, unimprovedRestarts,
                descentMillis > 0 ? startNanos + descentMillis * 1_000_000 : Long.MAX_VALUE);
    }

    /** {@link #solverConfig(int, int)} for scoring only, or for tiny problems. */
    public SolverConfig solverConfig() {
        return solverConfig(0, 0);
    }

    /**
     * The solver configuration for a problem of {@code entities} copy entities on {@code gpus}
     * GPUs. A late-acceptance step ends at the first accepted move, so at a strict local optimum a
     * step would try moves for ever (only a time limit stops it inside a step): each step
     * therefore looks at no more than about twice the change neighbourhood, and when none of those
     * moves is accepted the search ends there, deterministically.
     */
    public SolverConfig solverConfig(int entities, int gpus) {
        SolverConfig config = SolverConfig.createFromXmlResource(CONFIG_RESOURCE,
                SolverSettings.class.getClassLoader());
        TerminationConfig termination = new TerminationConfig();
        if (spentMillis > 0) {
            termination.withMillisecondsSpentLimit(spentMillis);
        }
        if (unimprovedMillis > 0) {
            termination.withUnimprovedMillisecondsSpentLimit(unimprovedMillis);
        }
        if (!bestScoreLimit.isEmpty()) {
            termination.withBestScoreLimit(bestScoreLimit);
        }
        if (scoreCalculationLimit > 0) {
            termination.withScoreCalculationCountLimit(scoreCalculationLimit);
        }

        LocalSearchPhaseConfig localSearch = (LocalSearchPhaseConfig) config.getPhaseConfigList().get(0);
        localSearch.getMoveSelectorConfig()
                .setSelectedCountLimit(Math.max(MIN_MOVES_PER_STEP, 2L * entities * (gpus + 1)));
        if (stepCountLimit > 0 || unimprovedStepLimit > 0) {
            // Step counts can only end a phase; the phase is the whole search here.
            TerminationConfig phase = new TerminationConfig();
            if (stepCountLimit > 0) {
                phase.withStepCountLimit(stepCountLimit);
            }
            if (unimprovedStepLimit > 0) {
                phase.withUnimprovedStepCountLimit(unimprovedStepLimit);
            }
            localSearch.setTerminationConfig(phase);
        }
        return config.withEnvironmentMode(environmentMode)
                .withRandomSeed(randomSeed)
                .withTerminationConfig(termination);
    }
}
