package org.mohge.sim.serving;

/**
 * A pool after the run: layout, KV capacity per replica, iterations run, the busy share of its
 * replicas' time, and its GPU kind.
 */
public record PoolSummary(PoolRole role, int replicas, int tp, int dp, int gpus, int kvBlocksPerReplica,
                          long kvTokensPerReplica, long iterations, double busyFraction, String gpu) {
}
