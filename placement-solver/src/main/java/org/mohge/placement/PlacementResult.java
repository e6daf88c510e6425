package org.mohge.placement;

import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.PlacementEvaluation;

/** One strategy's placement, its evaluation and how long the strategy took (wall clock, for display only). */
public record PlacementResult(String strategy, Placement placement, PlacementEvaluation evaluation,
                              double solveSeconds) {
}
