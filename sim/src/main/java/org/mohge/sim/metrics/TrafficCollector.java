package org.mohge.sim.metrics;

import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.sim.traffic.MoeLayerTraffic;

/**
 * Sums all-to-all traffic over all steps: bytes each GPU sends and receives (dispatch and combine,
 * forward and backward), node-to-node and (small clusters only) GPU-to-GPU bytes, NVLink and
 * cross-node bytes per MoE layer, and routed copies per expert.
 */
public final class TrafficCollector implements SimListener {
    private final ClusterSpec cluster;
    private final int gpus;
    final double[] layerIntraBytes;
    final double[] layerInterBytes;
    final double[] expertCopies;
    final double[] gpuSentBytes;
    final double[] gpuReceivedBytes;
    final double[][] nodeTrafficBytes;
    /** GPU x GPU bytes, kept only for clusters small enough to print (see SimResult). */
    final double[][] gpuTrafficBytes;

    public TrafficCollector(ClusterSpec cluster, int moeLayers, int experts) {
        this.cluster = cluster;
        this.gpus = cluster.gpuCount();
        layerIntraBytes = new double[moeLayers];
        layerInterBytes = new double[moeLayers];
        expertCopies = new double[experts];
        gpuSentBytes = new double[gpus];
        gpuReceivedBytes = new double[gpus];
        nodeTrafficBytes = new double[cluster.nodes()][cluster.nodes()];
        gpuTrafficBytes = gpus <= SimResult.MAX_GPU_TRAFFIC_MATRIX ? new double[gpus][gpus] : new double[0][0];
    }

    @Override
    public void onMoeLayerRouted(MoeLayerTraffic t) {
        double[] counts = t.counts();
        int experts = t.experts();
        for (int src = 0; src < gpus; src++) {
            int base = src * experts;
            for (int e = 0; e < experts; e++) {
                double c = counts[base + e];
                if (c != 0) {
                    expertCopies[e] += c;
                }
            }
        }
        double[][] dispatch = t.dispatchBytes();
        double passes = t.passes();
        for (int i = 0; i < gpus; i++) {
            int nodeI = cluster.nodeOf(i);
            for (int j = 0; j < gpus; j++) {
                double b = dispatch[i][j];
                if (i != j && b > 0) {
                    // dispatch i -> j and the combine j -> i, each forward (and backward when training)
                    double both = passes * b;
                    gpuSentBytes[i] += both;
                    gpuReceivedBytes[j] += both;
                    gpuSentBytes[j] += both;
                    gpuReceivedBytes[i] += both;
                    int nodeJ = cluster.nodeOf(j);
                    nodeTrafficBytes[nodeI][nodeJ] += both;
                    nodeTrafficBytes[nodeJ][nodeI] += both;
                    if (gpuTrafficBytes.length > 0) {
                        gpuTrafficBytes[i][j] += both;
                        gpuTrafficBytes[j][i] += both;
                    }
                }
            }
        }
        int l = t.moeLayer();
        layerIntraBytes[l] += passes * (t.dispatch().intraNodeBytes() + t.combine().intraNodeBytes());
        layerInterBytes[l] += passes * (t.dispatch().interNodeBytes() + t.combine().interNodeBytes());
    }
}
