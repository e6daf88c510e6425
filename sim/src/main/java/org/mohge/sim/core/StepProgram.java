package org.mohge.sim.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mohge.costmodel.cost.StageLabel;

/** The ops of one step, in the order they were added (dependencies always point backward). */
public final class StepProgram {
    private final int gpus;
    private final List<Op> ops = new ArrayList<>();

    public StepProgram(int gpus) {
        this.gpus = gpus;
    }

    public int gpus() {
        return gpus;
    }

    /** Adds an op and returns its id. */
    public int add(OpKind kind, StageLabel stage, int layer, int microBatch, boolean backward, long[] durationNs,
                   int... deps) {
        if (durationNs.length != gpus) {
            throw new IllegalArgumentException("op " + stage.label() + " has " + durationNs.length + " durations for "
                    + gpus + " GPUs");
        }
        for (long d : durationNs) {
            if (d < 0) {
                throw new IllegalArgumentException("op " + stage.label() + " has a negative duration " + d);
            }
        }
        int id = ops.size();
        for (int dep : deps) {
            if (dep < 0 || dep >= id) {
                throw new IllegalArgumentException("op " + stage.label() + " depends on unknown op " + dep);
            }
        }
        ops.add(new Op(id, kind, stage, layer, microBatch, backward, durationNs, deps));
        return id;
    }

    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    public Op op(int id) {
        return ops.get(id);
    }

    public int size() {
        return ops.size();
    }
}
