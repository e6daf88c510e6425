package org.mohge.costmodel.parallel;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * Scenario section {@code training}: {@code globalBatchSize} and {@code microBatchSize} in
 * sequences of {@code sequenceLength} tokens; {@code recompute} (default none);
 * {@code pipelineSchedule} (default 1f1b, interleaved when {@code parallelism.vp > 1}). Gradient
 * accumulation is derived from the layout: globalBatchSize / (microBatchSize x dp).
 */
public record TrainingSpec(@JsonProperty(required = true) int globalBatchSize,
                           @JsonProperty(required = true) int microBatchSize,
                           @JsonProperty(required = true) int sequenceLength,
                           Recompute recompute, PipelineSchedule pipelineSchedule) {

    public TrainingSpec {
        Require.positive(globalBatchSize, "globalBatchSize");
        Require.positive(microBatchSize, "microBatchSize");
        Require.positive(sequenceLength, "sequenceLength");
        recompute = Require.orDefault(recompute, Recompute.NONE);
    }

    public long tokensPerStep() {
        return (long) globalBatchSize * sequenceLength;
    }
}
