package org.mohge.costmodel.parallel;

/**
 * Prices of one pipeline stage's rank (all ranks of a stage alike under balanced routing), per
 * micro-batch unless said otherwise, in us. {@code forwardUs} / {@code backwardUs} are what the
 * compute stream is held for one micro-batch (the stage's layers, the embedding or LM head, and
 * the tensor-, context- and expert-parallel exchanges the layers wait on), backward including any
 * recomputed forward work; {@code tpUs}, {@code cpUs}, {@code epUs} are the exposed parts of those
 * exchanges, forward and backward together; {@code sendUs} one activation (or gradient) send to the
 * neighbouring stage. Per step: {@code gradReduceUs} (reduce-scatter with a sharded optimizer,
 * else all-reduce), {@code paramGatherUs} (distributed optimizer / fsdp), {@code optimizerUs}.
 * {@code hostBoundUs} is the part of forward and backward (already in them) the GPU waits for the
 * host to issue kernels ({@link IssueQueue}); {@code fsdpUs} the part (also already in them) spent
 * waiting for fsdp's per-micro-batch gathers and reduce-scatters that the compute could not hide.
 */
public record StagePrice(int stage, int layers, double forwardUs, double backwardUs, double recomputeUs,
                         double tpUs, double cpUs, double epUs, double sendUs, double gradReduceUs,
                         double paramGatherUs, double optimizerUs, double hostBoundUs, double fsdpUs) {

    /** A stage without fsdp. */
    public StagePrice(int stage, int layers, double forwardUs, double backwardUs, double recomputeUs,
                      double tpUs, double cpUs, double epUs, double sendUs, double gradReduceUs,
                      double paramGatherUs, double optimizerUs, double hostBoundUs) {
        this(stage, layers, forwardUs, backwardUs, recomputeUs, tpUs, cpUs, epUs, sendUs, gradReduceUs,
                paramGatherUs, optimizerUs, hostBoundUs, 0);
    }

    /** A stage whose host never holds the GPU up. */
    public StagePrice(int stage, int layers, double forwardUs, double backwardUs, double recomputeUs,
                      double tpUs, double cpUs, double epUs, double sendUs, double gradReduceUs,
                      double paramGatherUs, double optimizerUs) {
        this(stage, layers, forwardUs, backwardUs, recomputeUs, tpUs, cpUs, epUs, sendUs, gradReduceUs,
                paramGatherUs, optimizerUs, 0);
    }

    /** Compute-stream time of one micro-batch, forward and backward. */
    public double microBatchUs() {
        return forwardUs + backwardUs;
    }
}
