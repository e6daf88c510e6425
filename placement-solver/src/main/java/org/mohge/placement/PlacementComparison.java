package org.mohge.placement;

import java.util.List;
import org.mohge.placement.evaluation.LowerBounds;

/** Every requested strategy on one problem, in request order, with the lower bounds they share. */
public record PlacementComparison(LowerBounds bounds, List<PlacementResult> results) {

    public PlacementComparison {
        results = List.copyOf(results);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one strategy");
        }
    }

    /**
     * The best result: feasible first, then the shortest predicted layer time (the exchanges with
     * their per-GPU traffic and the slowest GPU's experts together; with experts of several sizes a
     * map that evens the GPUs' expert time can pile tokens onto the GPUs of small experts and
     * lengthen the exchange), then the smallest max GPU time; ties keep request order.
     */
    public PlacementResult best() {
        PlacementResult best = results.get(0);
        for (PlacementResult r : results) {
            if (r.evaluation().fasterLayerThan(best.evaluation())) {
                best = r;
            }
        }
        return best;
    }

    public PlacementResult result(String strategy) {
        return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("strategy '" + strategy + "' was not run"));
    }

}
