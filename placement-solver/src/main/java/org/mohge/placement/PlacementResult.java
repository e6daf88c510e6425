package org.mohge.placement;

import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.PlacementEvaluation;

/**
 * One strategy's placement, its evaluation, how long the strategy took (wall clock, for display
 * only) and whether the optional clock cap cut it short (then the placement depends on the machine).
 */
public record PlacementResult(String strategy, Placement placement, PlacementEvaluation evaluation,
                              double solveSeconds, boolean cutByClock) {

    public PlacementResult(String strategy, Placement placement, PlacementEvaluation evaluation, double solveSeconds) {
        this(strategy, placement, evaluation, solveSeconds, false);
    }
}
