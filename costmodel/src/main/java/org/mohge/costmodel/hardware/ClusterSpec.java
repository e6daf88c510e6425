package org.mohge.costmodel.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * {@code nodes} x {@code gpusPerNode} identical GPUs. Inside a node GPUs talk over NVLink, across
 * nodes over one NIC per GPU (rail-optimised fabric, full bisection). Bandwidths are per GPU and
 * per direction and default to the GPU's platform figures; latencies default to typical NCCL
 * point-to-point figures (about 2 us over NVLink and 5 us over InfiniBand for small messages).
 */
public record ClusterSpec(@JsonProperty(required = true) GpuSpec gpu, @JsonProperty(required = true) int nodes, @JsonProperty(required = true) int gpusPerNode, Double nvlinkGBps, Double nicGBps,
                         Double nvlinkLatencyUs, Double nicLatencyUs) {

    public static final double DEFAULT_NVLINK_LATENCY_US = 2.0;
    public static final double DEFAULT_NIC_LATENCY_US = 5.0;

    public ClusterSpec {
        Require.present(gpu, "gpu");
        Require.positive(nodes, "nodes");
        Require.positive(gpusPerNode, "gpusPerNode");
        Require.check((long) nodes * gpusPerNode <= org.mohge.costmodel.spec.Limits.MAX_GPUS, "nodes",
                "x gpusPerNode must be at most " + org.mohge.costmodel.spec.Limits.MAX_GPUS + " GPUs, got "
                        + (long) nodes * gpusPerNode);
        nvlinkGBps = Require.orDefault(nvlinkGBps, gpu.nvlinkGBps());
        Require.positive(nvlinkGBps, "nvlinkGBps");
        nicGBps = Require.orDefault(nicGBps, gpu.nicGBps());
        Require.positive(nicGBps, "nicGBps");
        nvlinkLatencyUs = Require.orDefault(nvlinkLatencyUs, DEFAULT_NVLINK_LATENCY_US);
        Require.nonNegative(nvlinkLatencyUs, "nvlinkLatencyUs");
        nicLatencyUs = Require.orDefault(nicLatencyUs, DEFAULT_NIC_LATENCY_US);
        Require.nonNegative(nicLatencyUs, "nicLatencyUs");
    }

    public static ClusterSpec of(GpuSpec gpu, int nodes, int gpusPerNode) {
        return new ClusterSpec(gpu, nodes, gpusPerNode, null, null, null, null);
    }

    public int gpuCount() {
        return nodes * gpusPerNode;
    }

    public int nodeOf(int gpu) {
        return gpu / gpusPerNode;
    }

    public boolean sameNode(int gpuA, int gpuB) {
        return nodeOf(gpuA) == nodeOf(gpuB);
    }
}
