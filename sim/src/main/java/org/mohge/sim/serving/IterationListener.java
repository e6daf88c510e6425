package org.mohge.sim.serving;

/** Sees every iteration as it starts (trace writers); must not change the run. */
@FunctionalInterface
public interface IterationListener {
    void onIteration(int replica, PoolRole role, long startNs, long durationNs, BatchShape shape, int seqs);
}
