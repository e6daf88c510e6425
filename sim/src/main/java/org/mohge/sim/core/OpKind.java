package org.mohge.sim.core;

/** Where an op runs: a GPU's compute stream, or a collective over every GPU's link ports. */
public enum OpKind {
    /** Runs on one GPU's compute stream, one op at a time, first come first served. */
    COMPUTE,
    /**
     * An all-to-all over all GPUs: starts when every GPU has it ready and every GPU's ports are
     * free, then occupies GPU g's ports for {@code durationNs[g]}.
     */
    COLLECTIVE
}
