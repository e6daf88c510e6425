package org.mohge.costmodel.parallel;

import java.util.List;

/**
 * What a training step under a parallel layout costs, as {@code cost} estimates it or
 * {@code simulate} measures it: step time, tokens/s per GPU, model TFLOP/s per GPU (Megatron's
 * model-FLOP count: 3 x forward FLOPs, causal attention over the mean context, no recompute),
 * MFU against the GPU's dense peak in the GEMM dtype, the pipeline bubble share (the busiest
 * stage's idle share of the pipeline phase), exposed communication per kind, every stage, and
 * memory per rank of each stage. {@code folded} says which ranks were priced once for all.
 */
public record TrainingStepReport(String method, String layout, int gpus, int microBatches, long tokensPerStep,
                                 double stepTimeUs, double tokensPerSecondPerGpu, double modelTflopsPerGpu,
                                 double mfu, double bubbleShare, ExposedComm exposed, List<StageReport> stages,
                                 List<RankMemory> memory, String folded) {
    public TrainingStepReport {
        stages = List.copyOf(stages);
        memory = List.copyOf(memory);
    }

    /** The fullest rank. */
    public RankMemory peakMemory() {
        RankMemory peak = memory.get(0);
        for (RankMemory m : memory) {
            if (m.totalBytes() > peak.totalBytes()) {
                peak = m;
            }
        }
        return peak;
    }
}
