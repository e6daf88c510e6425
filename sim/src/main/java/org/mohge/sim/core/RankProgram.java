package org.mohge.sim.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mohge.costmodel.cost.StepStage;

/**
 * Ops that each run on one rank's stream, with dependencies on ops of any rank (a pipeline's
 * sends, a collective's inputs). The core knows ranks and streams, not what they stand for.
 */
public final class RankProgram {
    /** A rank's FIFO resources: its compute stream and its link directions. */
    public enum Stream {
        COMPUTE,
        /** Sends toward the next rank (a pipeline's activations). */
        SEND_NEXT,
        /** Sends toward the previous rank (a pipeline's gradients). */
        SEND_PREVIOUS,
        /** Group collectives (a data-parallel gradient reduce, a parameter gather). */
        COLLECTIVE
    }

    /** One op; {@code label}, {@code microBatch}, {@code chunk} and {@code backward} are for metrics. */
    public record RankOp(int id, int rank, Stream stream, StepStage label, int microBatch, int chunk, boolean backward,
                         long durationNs, int[] deps) {
    }

    private final int ranks;
    private final List<RankOp> ops = new ArrayList<>();

    public RankProgram(int ranks) {
        this.ranks = ranks;
    }

    public int ranks() {
        return ranks;
    }

    /** Adds an op and returns its id; {@code deps} must already exist (negative ids are skipped). */
    public int add(int rank, Stream stream, StepStage label, int microBatch, int chunk, boolean backward,
                   long durationNs, int... deps) {
        if (rank < 0 || rank >= ranks) {
            throw new IllegalArgumentException("op " + label.label() + " on rank " + rank + " of " + ranks);
        }
        if (durationNs < 0) {
            throw new IllegalArgumentException("op " + label.label() + " has a negative duration " + durationNs);
        }
        int id = ops.size();
        int[] kept = java.util.Arrays.stream(deps).filter(d -> d >= 0).toArray();
        for (int d : kept) {
            if (d >= id) {
                throw new IllegalArgumentException("op " + label.label() + " depends on unknown op " + d);
            }
        }
        ops.add(new RankOp(id, rank, stream, label, microBatch, chunk, backward, durationNs, kept));
        return id;
    }

    public List<RankOp> ops() {
        return Collections.unmodifiableList(ops);
    }

    public RankOp op(int id) {
        return ops.get(id);
    }

    public int size() {
        return ops.size();
    }
}
