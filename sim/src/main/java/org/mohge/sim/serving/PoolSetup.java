package org.mohge.sim.serving;

/** One pool as the engine runs it: its role and layout, the KV pages of each replica and its iteration prices. */
public record PoolSetup(PoolRole role, PoolSpec pool, int kvBlocksPerReplica, IterationPricer pricer) {
    public PoolSetup {
        if (kvBlocksPerReplica <= 0) {
            throw new IllegalArgumentException("kvBlocksPerReplica must be > 0, got " + kvBlocksPerReplica);
        }
    }
}
