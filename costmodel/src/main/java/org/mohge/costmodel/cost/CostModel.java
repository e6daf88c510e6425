package org.mohge.costmodel.cost;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * The price list of a GPU cluster: how long a GEMM, a grouped GEMM, a memory-bound kernel and an
 * all-to-all take. Implementations must be pure functions of their inputs (the simulator calls
 * them millions of times and relies on repeatable answers).
 */
public interface CostModel {

    /** Which model and which calibration produced the numbers, for every report's footer. */
    String description();

    ClusterSpec cluster();

    /** One dense GEMM on one GPU. */
    OpCost gemm(GemmShape shape, DType dtype);

    /** Many independent GEMMs in one launch (a MoE layer's local experts); shapes with m = 0 are skipped. */
    OpCost groupedGemm(List<GemmShape> shapes, DType dtype);

    /** A kernel limited by HBM traffic: {@code bytes} read plus written. */
    OpCost memoryBound(double bytes);

    /** An all-to-all where GPU i sends {@code bytes[i][j]} bytes to GPU j. */
    AllToAllCost allToAll(double[][] bytes);
}
