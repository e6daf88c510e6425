package org.mohge.sim;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.GemmShape;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * A cost model with round numbers for hand calculations: GEMMs run at 1 TFLOP/s (2mnk / 1e6
 * microseconds), memory-bound kernels are free, an all-to-all takes each GPU
 * {@code max(bytes sent, bytes received) / 1000} microseconds (1 GB/s, no latency).
 */
public final class FixedCostModel implements CostModel {
    private final ClusterSpec cluster;

    public FixedCostModel(ClusterSpec cluster) {
        this.cluster = cluster;
    }

    @Override
    public String description() {
        return "fixed (test)";
    }

    @Override
    public ClusterSpec cluster() {
        return cluster;
    }

    @Override
    public OpCost gemm(GemmShape shape, DType dtype) {
        return groupedGemm(List.of(shape), dtype);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        double flops = 0;
        for (GemmShape s : shapes) {
            flops += 2.0 * s.m() * s.n() * s.k();
        }
        return new OpCost(flops / 1e6, flops, 0);
    }

    @Override
    public OpCost memoryBound(double bytes) {
        return OpCost.ZERO;
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        int n = bytes.length;
        double[] sent = new double[n];
        double[] received = new double[n];
        double intra = 0;
        double inter = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                sent[i] += bytes[i][j];
                received[j] += bytes[i][j];
                if (cluster.sameNode(i, j)) {
                    intra += bytes[i][j];
                } else {
                    inter += bytes[i][j];
                }
            }
        }
        double[] per = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            per[i] = Math.max(sent[i], received[i]) / 1000.0;
            max = Math.max(max, per[i]);
        }
        return new AllToAllCost(per, max, intra, inter);
    }
}
