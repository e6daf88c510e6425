package org.mohge.sim.traffic;

import org.mohge.costmodel.cost.AllToAllCost;

/**
 * What one unit's routing did in one MoE layer: {@code counts[src * experts + e]} copies GPU src
 * routed to expert e, {@code dispatchBytes[i][j]} bytes GPU i sends to GPU j (the combine is its
 * transpose), the priced all-to-alls, each GPU's forward expert time and the copies it received.
 * {@code passes} is 2 when training (the backward moves the same bytes again), else 1. Arrays are
 * the accountant's working buffers: read them in the listener call, do not keep them.
 */
public record MoeLayerTraffic(int moeLayer, int experts, double[] counts, double[][] dispatchBytes, double passes,
                              AllToAllCost dispatch, AllToAllCost combine, long[] expertsNs,
                              double[] receivedCopies) {
}
