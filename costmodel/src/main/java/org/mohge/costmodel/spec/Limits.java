package org.mohge.costmodel.spec;

/**
 * Upper bounds on sizes, far above any published model or cluster, that keep the per-expert and
 * per-GPU tables of a run inside a JVM heap. A value past one is an input error, not a long run or
 * an OutOfMemoryError.
 */
public final class Limits {
    /** Routed experts per MoE layer; the largest published MoE layers have a few hundred. */
    public static final int MAX_EXPERTS_PER_LAYER = 65_536;
    /** GPUs in one cluster; the largest published training runs use tens of thousands. */
    public static final int MAX_GPUS = 131_072;

    private Limits() {
    }

    /** Checks {@code experts} (a sum, so it may exceed an int) against {@link #MAX_EXPERTS_PER_LAYER}. */
    public static void experts(long experts, String field) {
        Require.check(experts <= MAX_EXPERTS_PER_LAYER, field, "must be at most " + MAX_EXPERTS_PER_LAYER
                + " routed experts per layer (the tool keeps tables per expert), got " + experts);
    }
}
