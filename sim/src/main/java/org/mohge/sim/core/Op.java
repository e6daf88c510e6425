package org.mohge.sim.core;

import org.mohge.costmodel.cost.StageLabel;

/**
 * One op of a step program, run once on every GPU. {@code deps} are ops (of the same GPU) that
 * must have finished first; {@code durationNs[g]} is its duration on GPU g. {@code stage},
 * {@code layer} ({@code -1} when not tied to a layer), {@code microBatch} and {@code backward}
 * label it for metrics and traces.
 */
public record Op(int id, OpKind kind, StageLabel stage, int layer, int microBatch, boolean backward, long[] durationNs,
                 int[] deps) {
}
