package org.mohge.costmodel.cost;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * A toy GPU whose prices are easy to compute by hand: 1 TFLOP/s for every GEMM (2mnk FLOPs take
 * 2mnk / 1e6 us), grouped GEMMs cost the sum of their GEMMs, and memory-bound kernels move
 * 1 GB/s (bytes / 1e3 us). No launch cost.
 */
public class ToyCostModel implements CostModel {
    @Override
    public String description() {
        return "toy: 1 TFLOP/s, 1 GB/s";
    }

    @Override
    public ClusterSpec cluster() {
        throw new UnsupportedOperationException("the toy model prices no collectives");
    }

    @Override
    public OpCost gemm(GemmShape s, DType dtype) {
        double flops = 2.0 * s.m() * s.n() * s.k();
        double bytes = (double) dtype.bytes() * (s.m() * s.k() + s.k() * s.n() + s.m() * s.n());
        return new OpCost(flops / 1e6, flops, bytes);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        OpCost sum = OpCost.ZERO;
        for (GemmShape s : shapes) {
            if (s.m() > 0) {
                sum = sum.plus(gemm(s, dtype));
            }
        }
        return sum;
    }

    @Override
    public OpCost memoryBound(double bytes) {
        return new OpCost(bytes / 1e3, 0, bytes);
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        throw new UnsupportedOperationException("the toy model prices no collectives");
    }
}
