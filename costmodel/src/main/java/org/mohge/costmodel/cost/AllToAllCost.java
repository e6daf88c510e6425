package org.mohge.costmodel.cost;

/**
 * An all-to-all exchange: each GPU's time (it is done when both its sends and its receives are
 * done), the time of the whole exchange (its slowest GPU), and the bytes that crossed NVLink
 * inside nodes and NICs across nodes.
 */
public record AllToAllCost(double[] perGpuTimeUs, double timeUs, double intraNodeBytes, double interNodeBytes) {
    public AllToAllCost {
        perGpuTimeUs = perGpuTimeUs.clone();
    }

    @Override
    public double[] perGpuTimeUs() {
        return perGpuTimeUs.clone();
    }
}
