package org.mohge.costmodel.parallel;

/**
 * The host issuing a pass's kernels, in order, into one GPU stream. The host issues a piece's
 * operations one after another at its cost per operation; the GPU runs each as soon as the host
 * has issued it and the previous one has finished. So a run of kernels shorter than their issue
 * cost leaves the GPU waiting on the host, and a long kernel lets the host run ahead, but only up
 * to a sync (a device-to-host copy the host needs), where it waits for the GPU to drain.
 *
 * <p>A piece of n operations with GPU time d is taken as n equal kernels of d / n: with the host
 * at h and the GPU at g, kernel i starts at max(end of kernel i - 1, h + i c) and the piece ends
 * at max(g + d, h + c + d, h + n c + d / n) (the maximum of a sum linear in i sits at an end).
 */
public final class IssueQueue {
    private double hostUs;
    private double gpuUs;
    private double gpuBusyUs;

    /** A pass starting with the host and the GPU idle together: the GPU waits for the first kernel. */
    public IssueQueue() {
    }

    /** Work the host issues in {@code hostUs} as {@code kernels} launches, keeping the GPU busy {@code gpuTimeUs}. */
    public void issue(int kernels, double hostUs, double gpuTimeUs) {
        gpuBusyUs += gpuTimeUs;
        if (kernels <= 0) {
            // Launched with the neighbouring operations: it only queues behind them.
            gpuUs += gpuTimeUs;
            return;
        }
        double perKernelUs = hostUs / kernels;
        double start = this.hostUs;
        gpuUs = Math.max(gpuUs + gpuTimeUs, Math.max(start + perKernelUs + gpuTimeUs,
                start + hostUs + gpuTimeUs / kernels));
        this.hostUs = start + hostUs;
    }

    /** The host waits until the GPU has run everything issued. */
    public void sync() {
        hostUs = Math.max(hostUs, gpuUs);
    }

    /** When the GPU finishes everything issued so far, from the start of the pass. */
    public double elapsedUs() {
        return gpuUs;
    }

    /** The time the GPU waited for the host so far. */
    public double hostBoundUs() {
        return gpuUs - gpuBusyUs;
    }
}
