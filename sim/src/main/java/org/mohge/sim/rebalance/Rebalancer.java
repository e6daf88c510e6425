package org.mohge.sim.rebalance;

import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.load.LoadProfile;

/**
 * Chooses the expert maps for the next steps from the loads observed in the last ones. The
 * simulator calls it between steps; the placement solver implements it (the simulator does not
 * depend on the solver).
 */
@FunctionalInterface
public interface Rebalancer {

    /**
     * @param afterStep the step just simulated (0-based)
     * @param observed routed copies per step and expert of every MoE layer, averaged over the steps
     *                 since the last re-placement
     * @param current the maps in use
     */
    Rebalance rebalance(int afterStep, LoadProfile observed, LayeredPlacement current);
}
