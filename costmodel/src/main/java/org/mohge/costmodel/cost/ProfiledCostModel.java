package org.mohge.costmodel.cost;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuSpec;

/**
 * Per-kernel prices of one GPU from a fitted {@link KernelParams} (a published profile):
 *
 * <p><b>GEMMs</b> are cut into output tiles of 64 or 128 rows by 64, 128 or 256 columns, the
 * one of these six that finishes first (as the CUTLASS and DeepGEMM heuristics pick the block
 * shape that fills the SMs best). One SM computes one tile at a time at {@code peak / SMs} times
 * the dtype's efficiency times {@code k / (k + kHalf)} ({@code kHalf} scaled by the dtype's peak
 * over bf16's: the fixed prologue and epilogue cost the same time, in which fp8 covers twice the
 * reduction steps), and no faster than it loads the tile's
 * {@code (rows + cols) * k} operands at {@code smLoadGBps} (what makes narrow tiles slow); the tiles of all GEMMs of a launch share
 * the SMs, so the compute takes {@code max(ceil(tiles / SMs) * work / tiles, longest tile)} (wave
 * quantization, exact for equal tiles). A GEMM never beats reading A and B and writing C at the
 * achieved HBM bandwidth: the weight-read-bound regime of small M. A grouped launch adds
 * {@code perGroupUs} for each group an SM sets up ({@code ceil(groups / SMs)}: the groups are
 * spread over the SMs); every launch pays {@code launchUs}.
 *
 * <p><b>Attention</b> (FlashAttention-style, forward and backward separately) runs its FLOPs at
 * the dtype's peak times the pass's efficiency times {@code d / (d + dHalf)} (narrow heads waste
 * the tensor cores) times {@code L / (L + LHalf)} (few attended keys per query leave the
 * softmax pipeline exposed); causal masking and sliding windows enter through L.
 *
 * <p><b>Memory-bound kernels</b> stream at the achieved HBM bandwidth plus a launch.
 * <b>All-to-all</b> is the analytical model's full-duplex exchange on links that carry the
 * measured share of their bandwidth.
 */
public final class ProfiledCostModel implements CostModel {
    static final int[] TILE_ROWS = {64, 128};
    static final int[] TILE_COLS = {64, 128, 256};

    private final ClusterSpec cluster;
    private final KernelParams params;
    private final String description;
    private final AnalyticalCostModel exchange;
    private final HostCosts hostCosts;

    public ProfiledCostModel(ClusterSpec cluster, KernelParams params, String description) {
        this(cluster, params, description, HostCosts.NONE);
    }

    /** With the host's issue costs (the profile's {@code host} block), see {@link CostModel#hostCosts}. */
    public ProfiledCostModel(ClusterSpec cluster, KernelParams params, String description, HostCosts hostCosts) {
        this.cluster = cluster;
        this.hostCosts = hostCosts;
        this.params = params;
        this.description = description;
        this.exchange = new AnalyticalCostModel(new ClusterSpec(cluster.gpu(), cluster.nodes(), cluster.gpusPerNode(),
                cluster.nvlinkGBps() * params.nvlinkEfficiency(), cluster.nicGBps() * params.nicEfficiency(),
                cluster.nvlinkLatencyUs(), cluster.nicLatencyUs()));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ClusterSpec cluster() {
        return cluster;
    }

    @Override
    public HostCosts hostCosts() {
        return hostCosts;
    }

    public KernelParams params() {
        return params;
    }

    private GpuSpec gpu() {
        return cluster.gpu();
    }

    /** Share of the dense peak a tile of reduction width k sustains in {@code dtype}. */
    double tileEfficiency(long k, DType dtype) {
        double peakShare = dtype == DType.FP8 ? params.fp8GemmEfficiency() : params.bf16GemmEfficiency();
        // kHalf is the tile's fixed prologue and epilogue in reduction steps at the bf16 rate; a dtype
        // with twice the tensor rate (fp8) runs twice the steps in that time, so its kHalf doubles.
        double kHalf = params.kHalf() * gpu().peakFlops(dtype) / gpu().peakFlops(DType.BF16);
        return peakShare * k / (k + kHalf);
    }

    /** Microseconds one SM needs for one tile of {@code rows x cols} outputs and reduction width k. */
    double tileTimeUs(int rows, int cols, long k, DType dtype) {
        double perSmFlops = gpu().peakFlops(dtype) / gpu().smCount();
        double mathUs = 2.0 * rows * cols * k / (perSmFlops * tileEfficiency(k, dtype)) * 1e6;
        double loadUs = (double) (rows + cols) * k * dtype.bytes() / (params.smLoadGBps() * 1e3);
        return Math.max(mathUs, loadUs);
    }

    double streamTimeUs(double bytes) {
        return bytes / (gpu().hbmBytesPerSecond() * params.hbmEfficiency()) * 1e6;
    }

    @Override
    public OpCost gemm(GemmShape shape, DType dtype) {
        return launch(List.of(shape), dtype, false);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        return launch(shapes, dtype, true);
    }

    private OpCost launch(List<GemmShape> shapes, DType dtype, boolean grouped) {
        double computeUs = Double.POSITIVE_INFINITY;
        for (int rows : TILE_ROWS) {
            for (int cols : TILE_COLS) {
                computeUs = Math.min(computeUs, computeUs(shapes, dtype, rows, cols));
            }
        }
        double flops = 0;
        double bytes = 0;
        int groups = 0;
        for (GemmShape s : shapes) {
            if (s.m() > 0) {
                flops += s.flops();
                bytes += s.bytes(dtype.bytes());
                groups++;
            }
        }
        if (groups == 0) {
            return OpCost.ZERO;
        }
        // The groups are spread over the SMs, each SM setting up the ones it works on in turn.
        double groupSetupUs = grouped ? ceilDiv(groups, gpu().smCount()) * params.perGroupUs() : 0;
        double timeUs = Math.max(computeUs, streamTimeUs(bytes)) + params.launchUs() + groupSetupUs;
        return new OpCost(timeUs, flops, bytes);
    }

    /** Compute time of a launch cut into {@code rows x cols} tiles (0 when every GEMM is empty). */
    double computeUs(List<GemmShape> shapes, DType dtype, int rows, int cols) {
        long totalTiles = 0;
        double tileWorkUs = 0;
        double longestTileUs = 0;
        for (GemmShape s : shapes) {
            if (s.m() == 0) {
                continue;
            }
            long tiles = ceilDiv(s.m(), rows) * ceilDiv(s.n(), cols);
            double tileUs = tileTimeUs(rows, cols, s.k(), dtype);
            totalTiles += tiles;
            tileWorkUs += tiles * tileUs;
            longestTileUs = Math.max(longestTileUs, tileUs);
        }
        if (totalTiles == 0) {
            return 0;
        }
        long waves = ceilDiv(totalTiles, gpu().smCount());
        return Math.max(waves * tileWorkUs / totalTiles, longestTileUs);
    }

    @Override
    public OpCost memoryBound(double bytes) {
        if (bytes <= 0) {
            return OpCost.ZERO;
        }
        return new OpCost(streamTimeUs(bytes) + params.launchUs(), 0, bytes);
    }

    @Override
    public OpCost attentionForward(AttentionShape shape, DType dtype) {
        return attention(shape, shape.forwardFlops(), params.attentionForwardEfficiency(), dtype);
    }

    @Override
    public OpCost attentionBackward(AttentionShape shape, DType dtype) {
        return attention(shape, shape.backwardFlops(), params.attentionBackwardEfficiency(), dtype);
    }

    /** Achieved share of the peak for an attention pass of the given efficiency at this shape. */
    double attentionShare(AttentionShape shape, double passEfficiency) {
        double d = shape.qkHeadDim();
        return passEfficiency * d / (d + params.attentionHeadDimHalf())
                * shape.meanKeys() / (shape.meanKeys() + params.attentionKeysHalf());
    }

    private OpCost attention(AttentionShape shape, double flops, double passEfficiency, DType dtype) {
        if (shape.queries() == 0 || flops <= 0) {
            return OpCost.ZERO;
        }
        double timeUs = flops / (gpu().peakFlops(dtype) * attentionShare(shape, passEfficiency)) * 1e6
                + params.launchUs();
        return new OpCost(timeUs, flops, 0);
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        return exchange.allToAll(bytes);
    }

    @Override
    public double nvlinkEfficiency() {
        return params.nvlinkEfficiency();
    }

    @Override
    public double nicEfficiency() {
        return params.nicEfficiency();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
