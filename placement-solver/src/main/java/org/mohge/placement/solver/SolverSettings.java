package org.mohge.placement.solver;

import org.mohge.placement.PlacementProblem;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

/**
 * How the solver runs: environment mode, random seed and when to stop (0 = no such limit, ""
 * = no score limit), laid over {@code expertPlacementSolverConfig.xml} (next to this class in the
 * resources): one late-acceptance local search (a short list of 50 steps, which beat the default
 * 400, tabu search and great deluge on the benchmark instances) over change and swap moves,
 * started from the baseline solution (no construction phase: the start is complete).
 *
 * @param spentMillis       stop after this much solving time
 * @param unimprovedMillis  stop after this long without a new best solution
 * @param stepCountLimit    stop after this many steps (tests: deterministic in REPRODUCIBLE mode)
 * @param bestScoreLimit    stop once the best score reaches this (a {@code HardMediumSoftLongScore} string)
 * @param extraCopiesPerExpert spare-copy entities per expert the solver may switch on
 * @param descentMillis     time for the {@link PairExchangeDescent} after the search (0 = until a
 *                          local optimum or {@link #DESCENT_CANDIDATES} priced moves)
 */
public record SolverSettings(EnvironmentMode environmentMode, long randomSeed, long spentMillis,
                             long unimprovedMillis, int stepCountLimit, String bestScoreLimit,
                             int extraCopiesPerExpert, long descentMillis) {

    public static final int DEFAULT_EXTRA_COPIES_PER_EXPERT = 3;
    /**
     * Share of the scenario's solver time the OptaPlanner search gets; the exact descent gets the
     * rest (on the benchmark it brings the slowest GPUs down the wave staircase much faster than
     * the search, which still finds the region: see placement-solver/README.md).
     */
    static final double SEARCH_SHARE = 0.5;
    /** Most moves the descent prices in one run. */
    static final long DESCENT_CANDIDATES = 20_000_000;
    /** The solver configuration this class overrides per run (environment mode, seed, limits). */
    static final String CONFIG_RESOURCE = "org/mohge/placement/solver/expertPlacementSolverConfig.xml";
    static final long MIN_MOVES_PER_STEP = 10_000;

    public SolverSettings {
        if (spentMillis == 0 && unimprovedMillis == 0 && stepCountLimit == 0 && bestScoreLimit.isEmpty()) {
            throw new IllegalArgumentException("the solver needs at least one termination limit");
        }
    }

    /**
     * The scenario's solver time, {@link #SEARCH_SHARE} of it for the search (its unimproved limit
     * capped to that) and the rest for the descent; reproducible with the scenario seed.
     */
    public static SolverSettings timed(PlacementProblem problem) {
        long totalMillis = Math.round(problem.solverSeconds() * 1000);
        long searchMillis = Math.max(1, Math.round(totalMillis * SEARCH_SHARE));
        long unimprovedMillis = Math.min(searchMillis, Math.round(problem.unimprovedSeconds() * 1000));
        return new SolverSettings(EnvironmentMode.REPRODUCIBLE, problem.seed(), searchMillis, unimprovedMillis, 0, "",
                DEFAULT_EXTRA_COPIES_PER_EXPERT, Math.max(1, totalMillis - searchMillis));
    }

    /** A fixed number of local-search steps: the same result on every machine. */
    public static SolverSettings steps(long seed, int steps) {
        return new SolverSettings(EnvironmentMode.REPRODUCIBLE, seed, 0, 0, steps, "", DEFAULT_EXTRA_COPIES_PER_EXPERT,
                0);
    }

    public SolverSettings withEnvironmentMode(EnvironmentMode mode) {
        return new SolverSettings(mode, randomSeed, spentMillis, unimprovedMillis, stepCountLimit, bestScoreLimit,
                extraCopiesPerExpert, descentMillis);
    }

    public SolverSettings withBestScoreLimit(String limit) {
        return new SolverSettings(environmentMode, randomSeed, spentMillis, unimprovedMillis, stepCountLimit, limit,
                extraCopiesPerExpert, descentMillis);
    }

    /**
     * The descent's deadline as a {@link System#nanoTime()} value, for a run that started at
     * {@code startNanos}: search and descent time together, so a search that stops early (no
     * improvement for {@code unimprovedMillis}) leaves its time to the descent.
     */
    public long descentDeadlineNanos(long startNanos) {
        return descentMillis > 0 ? startNanos + (spentMillis + descentMillis) * 1_000_000 : Long.MAX_VALUE;
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
        LocalSearchPhaseConfig localSearch = (LocalSearchPhaseConfig) config.getPhaseConfigList().get(0);
        localSearch.getMoveSelectorConfig()
                .setSelectedCountLimit(Math.max(MIN_MOVES_PER_STEP, 2L * entities * (gpus + 1)));
        if (stepCountLimit > 0) {
            // A step count can only end a phase; the phase is the whole search here.
            localSearch.setTerminationConfig(new TerminationConfig().withStepCountLimit(stepCountLimit));
        }
        return config.withEnvironmentMode(environmentMode)
                .withRandomSeed(randomSeed)
                .withTerminationConfig(termination);
    }
}
