package org.mohge.cli.plan;

import org.mohge.costmodel.parallel.Recompute;

/**
 * The parallel layout of one point of a training sweep (a base scenario with a {@code training}
 * section): tensor, pipeline, virtual-stage and expert parallel sizes, micro-batch size and
 * recompute. The other layout keys (cp, etp, sharding flags, stage splits) come from the base.
 */
public record LayoutPoint(int tp, int pp, int vp, int ep, int microBatchSize, Recompute recompute) {

    /** The point in words, e.g. {@code tp2 pp4 vp1 ep8 mbs1 recompute none}. */
    public String label() {
        return "tp" + tp + " pp" + pp + " vp" + vp + " ep" + ep + " mbs" + microBatchSize + " recompute "
                + recompute.label();
    }
}
