package org.mohge.costmodel.parallel;

import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * Ring collectives and point-to-point sends, alpha-beta: a ring over n ranks moves
 * (n - 1) / n of the buffer through every rank's link per reduce-scatter or all-gather
 * (nccl-tests' bus bandwidth), in n - 1 latency-bound steps; an all-reduce is a reduce-scatter
 * then an all-gather. A group inside one node runs at the NVLink rate; one that leaves it at the
 * slower of NVLink and the NICs of its members on a node ({@link RingGroup}: NCCL runs a ring per
 * channel, each crossing between nodes through another member's NIC, so a data-parallel group with
 * 8 members per node crosses at 8 NICs' rate, one with 1 member at one NIC's). Links carry the
 * share of their bandwidth the cost model's profile measured ({@link CostModel#nvlinkEfficiency},
 * {@link CostModel#nicEfficiency}: DeepEP's achieved all-to-all bandwidth per link kind).
 */
public final class Collectives {
    private final ClusterSpec cluster;
    private final double nvlinkGBps;
    private final double nicGBps;

    /** Collectives at the full per-direction link bandwidth of {@code cluster}. */
    public Collectives(ClusterSpec cluster) {
        this(cluster, 1, 1);
    }

    /** Collectives on the cost model's cluster at the link shares it measured. */
    public Collectives(CostModel costModel) {
        this(costModel.cluster(), costModel.nvlinkEfficiency(), costModel.nicEfficiency());
    }

    private Collectives(ClusterSpec cluster, double nvlinkEfficiency, double nicEfficiency) {
        this.cluster = cluster;
        this.nvlinkGBps = cluster.nvlinkGBps() * nvlinkEfficiency;
        this.nicGBps = cluster.nicGBps() * nicEfficiency;
    }


    /** Reduce-scatter (or all-gather) of a {@code bytes} buffer over the ranks of {@code group}. */
    public double reduceScatterUs(double bytes, RingGroup group) {
        int ranks = group.ranks();
        if (ranks <= 1 || bytes <= 0) {
            return 0;
        }
        boolean crosses = group.crossesNodes();
        return (ranks - 1) * latencyUs(crosses)
                + (ranks - 1.0) / ranks * bytes / (bandwidthGBps(crosses, group.ranksPerNode()) * 1e3);
    }

    public double allGatherUs(double bytes, RingGroup group) {
        return reduceScatterUs(bytes, group);
    }

    public double allReduceUs(double bytes, RingGroup group) {
        return 2 * reduceScatterUs(bytes, group);
    }

    /** One point-to-point send of {@code bytes}. */
    public double sendUs(double bytes, boolean crossesNodes) {
        if (bytes <= 0) {
            return 0;
        }
        return latencyUs(crossesNodes) + bytes / (bandwidthGBps(crossesNodes, 1) * 1e3);
    }

    /** An exchange moving {@code nvlinkBytes} over NVLink and {@code nicBytes} over the NIC at once. */
    public double exchangeUs(double nvlinkBytes, double nicBytes) {
        double nv = nvlinkBytes > 0 ? cluster.nvlinkLatencyUs() + nvlinkBytes / (nvlinkGBps * 1e3) : 0;
        double nic = nicBytes > 0 ? cluster.nicLatencyUs() + nicBytes / (nicGBps * 1e3) : 0;
        return Math.max(nv, nic);
    }

    /** NVLink inside a node; across nodes the slower of NVLink and the {@code nics} NICs the crossing uses. */
    private double bandwidthGBps(boolean crossesNodes, int nics) {
        return crossesNodes ? Math.min(nvlinkGBps, nics * nicGBps) : nvlinkGBps;
    }

    private double latencyUs(boolean crossesNodes) {
        return crossesNodes ? cluster.nicLatencyUs() : cluster.nvlinkLatencyUs();
    }
}
