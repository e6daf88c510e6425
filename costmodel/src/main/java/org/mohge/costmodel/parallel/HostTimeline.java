package org.mohge.costmodel.parallel;

/**
 * The host issuing a pass's kernels ahead of the GPU. Between two points where the host waits for
 * the GPU (a device-to-host copy it needs), a segment takes {@code max(host issue time, GPU time)}:
 * the host runs ahead of the GPU only up to a sync, so it cannot bank the time a GPU-bound segment
 * leaves it for a later host-bound one. A segment that starts at a sync finds the GPU's queue
 * empty, so its GPU work starts only once the host has issued its first kernel: it lasts at least
 * that issue time plus its GPU time. Work after the last sync joins the next segment. What this
 * counts is the time the segments last beyond their GPU time: the host-bound time.
 */
public final class HostTimeline {
    private final double firstIssueUs;
    private double segmentHostUs;
    private double segmentGpuUs;
    private boolean startsAtSync;
    private double hostBoundUs;

    /** {@code firstIssueUs}: the host's time to issue one kernel, the GPU's idle time after a sync. */
    public HostTimeline(double firstIssueUs) {
        this.firstIssueUs = firstIssueUs;
    }

    /** Work the host issues in {@code hostUs} that keeps the GPU busy {@code gpuUs}. */
    public void add(double hostUs, double gpuUs) {
        segmentHostUs += hostUs;
        segmentGpuUs += gpuUs;
    }

    /** The host waits until the GPU has run everything issued: the segment ends. */
    public void sync() {
        double lagUs = startsAtSync ? firstIssueUs : 0;
        hostBoundUs += Math.max(lagUs, segmentHostUs - segmentGpuUs);
        segmentHostUs = 0;
        segmentGpuUs = 0;
        startsAtSync = true;
    }

    /** Host-bound time of the closed segments. */
    public double hostBoundUs() {
        return hostBoundUs;
    }
}
