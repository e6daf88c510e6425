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

    /**
     * Token rows of the GEMM tile the expert kernels run in (the step of a GPU's expert-time
     * staircase: a tile more of an expert's tokens costs a tile more). 128 unless the model says.
     */
    default int gemmTileRows() {
        return 128;
    }

    /**
     * Linearised all-to-all time, in us, per byte a GPU sends and as many it receives when its
     * partners are spread evenly over the cluster (a placement's dispatch and combine): the bytes
     * split over NVLink and the NICs in proportion to the GPUs each reaches, the slower share sets
     * the time; no latency. Links run at the share of their bandwidth this model says collectives
     * achieve. The placement solver's price per token moved.
     */
    default double spreadAllToAllUsPerByte() {
        ClusterSpec c = cluster();
        double nvUsPerByte = (c.gpusPerNode() - 1.0) / c.gpuCount() / (c.nvlinkGBps() * nvlinkEfficiency() * 1e3);
        double nicUsPerByte = (double) (c.gpuCount() - c.gpusPerNode()) / c.gpuCount()
                / (c.nicGBps() * nicEfficiency() * 1e3);
        return Math.max(nvUsPerByte, nicUsPerByte);
    }

    /**
     * What the host pays to issue the training framework's operations ({@link HostCosts}); none
     * where the model does not price the host (the GPU then never waits for it).
     */
    default HostCosts hostCosts() {
        return HostCosts.NONE;
    }

    /** One dense GEMM on one GPU. */
    OpCost gemm(GemmShape shape, DType dtype);

    /** Many independent GEMMs in one launch (a MoE layer's local experts); shapes with m = 0 are skipped. */
    OpCost groupedGemm(List<GemmShape> shapes, DType dtype);

    /** A kernel limited by HBM traffic: {@code bytes} read plus written. */
    OpCost memoryBound(double bytes);

    /** An all-to-all where GPU i sends {@code bytes[i][j]} bytes to GPU j. */
    AllToAllCost allToAll(double[][] bytes);

    /**
     * The attention core (scores and values) forward. By default a GEMM of the same work with
     * reduction width the head dim; models with measured attention curves override it.
     */
    default OpCost attentionForward(AttentionShape shape, DType dtype) {
        if (shape.queries() == 0) {
            return OpCost.ZERO;
        }
        long n = Math.max(1, (long) Math.ceil(shape.forwardFlops() / (2.0 * shape.queries() * shape.qkHeadDim())));
        return gemm(new GemmShape(shape.queries(), n, shape.qkHeadDim()), dtype);
    }

    /** The attention core backward; by default twice the forward, as every other op's backward. */
    default OpCost attentionBackward(AttentionShape shape, DType dtype) {
        return attentionForward(shape, dtype).times(2);
    }

    /** Share of the per-direction NVLink bandwidth collectives achieve (1 unless measured). */
    default double nvlinkEfficiency() {
        return 1.0;
    }

    /** Share of the per-direction NIC bandwidth collectives achieve (1 unless measured). */
    default double nicEfficiency() {
        return 1.0;
    }
}
