package org.mohge.sim.serving;

/** What a pool's replicas do: everything, only prompts and the first token, or only decoding. */
public enum PoolRole {
    UNIFIED,
    PREFILL,
    DECODE
}
