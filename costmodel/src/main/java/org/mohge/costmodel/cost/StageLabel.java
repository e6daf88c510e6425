package org.mohge.costmodel.cost;

/**
 * What an op of a simulated step does, as a closed set: a stage of one transformer layer
 * ({@link LayerStage}) or a step-level piece of training ({@link StepStage}). {@link #label()} is
 * the name every output (tables, JSON, traces, charts) prints.
 */
public sealed interface StageLabel permits LayerStage, StepStage {
    String label();
}
