package org.mohge.costmodel.parallel;

/**
 * One pipeline stage over a step: its layers, per micro-batch forward and backward time, the time
 * its compute stream is busy over the step and the share of the pipeline phase it waits (bubble
 * and sends), the tensor-, context- and expert-parallel exchanges it waits on over the step, and
 * its data-parallel collectives and optimizer; {@code hostBoundUs}: the part of its busy time over
 * the step the GPU waits for the host to issue kernels.
 */
public record StageReport(int stage, int layers, double forwardUs, double backwardUs, double busyUs,
                          double idleShare, double tpUs, double cpUs, double epUs, double gradReduceUs,
                          double paramGatherUs, double optimizerUs, double hostBoundUs) {
}
