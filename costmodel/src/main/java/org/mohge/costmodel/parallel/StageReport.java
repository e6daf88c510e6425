package org.mohge.costmodel.parallel;

/**
 * One pipeline stage over a step: its layers, per micro-batch forward and backward time, the time
 * its compute stream is busy over the step and the share of the step it waits (bubble and sends).
 */
public record StageReport(int stage, int layers, double forwardUs, double backwardUs, double busyUs,
                          double idleShare, double gradReduceUs, double paramGatherUs, double optimizerUs) {
}
