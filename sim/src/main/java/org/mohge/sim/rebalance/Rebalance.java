package org.mohge.sim.rebalance;

import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.spec.Require;

/**
 * One re-placement: the new maps, the expert copies added to GPUs that did not hold them, the bytes
 * they move and the time the transfer takes on the cluster's links ({@code transferUs}, during which
 * the simulated job is assumed to wait).
 */
public record Rebalance(LayeredPlacement placement, int expertsMoved, double bytesMoved, double transferUs) {
    public Rebalance {
        Require.present(placement, "placement");
        Require.nonNegative(expertsMoved, "expertsMoved");
    }
}
