package org.mohge.costmodel.workload;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * What one step processes: {@code tokensPerStep} tokens over the whole cluster, in sequences of
 * {@code sequenceLength}, split into {@code microBatches} that run one after another (gradient
 * accumulation for training). Tokens are spread evenly over the GPUs (data parallel attention,
 * expert parallel FFNs).
 */
public record WorkloadSpec(WorkloadKind kind, @JsonProperty(required = true) long tokensPerStep, @JsonProperty(required = true) int sequenceLength, Integer microBatches) {

    public WorkloadSpec {
        kind = Require.orDefault(kind, WorkloadKind.TRAINING);
        Require.positive(tokensPerStep, "tokensPerStep");
        Require.positive(sequenceLength, "sequenceLength");
        microBatches = Require.orDefault(microBatches, 1);
        Require.positive(microBatches, "microBatches");
    }

    public boolean training() {
        return kind == WorkloadKind.TRAINING;
    }

    /** Tokens one GPU processes in one micro-batch. */
    public double tokensPerGpuPerMicroBatch(int gpus) {
        return (double) tokensPerStep / gpus / microBatches;
    }
}
