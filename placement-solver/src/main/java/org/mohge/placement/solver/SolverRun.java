package org.mohge.placement.solver;

import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * One OptaPlanner run: the baseline it started from and the solution it found, each with its
 * solver score and its exact evaluation. {@link #chosen()} is the better of the two by the exact
 * evaluation, so the strategy is never worse than its start. {@code settings}: the limits it ran under.
 */
public record SolverRun(Placement initial, HardMediumSoftLongScore initialScore, PlacementEvaluation initialEvaluation,
                        Placement solved, HardMediumSoftLongScore bestScore, PlacementEvaluation solvedEvaluation,
                        SolverSettings settings) {

    public boolean solvedIsBetter() {
        return !initialEvaluation.betterThan(solvedEvaluation);
    }

    public Placement chosen() {
        return solvedIsBetter() ? solved : initial;
    }
}
