package org.mohge.costmodel.cost;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuSpec;

/**
 * Roofline cost model with tile and wave quantization, uncalibrated.
 *
 * <p>GEMMs: the output is cut into 128 x 128 tiles and each SM computes one tile at a time, so a
 * GEMM runs in {@code ceil(tiles / SMs)} waves of one tile time each. A tile of reduction width k
 * takes {@code 2 * 128 * 128 * k} FLOPs at the per-SM peak times {@code tensorEfficiency * k / (k
 * + kHalf)}. Small M falls off twice: a 16-token GEMM pays for a 128-row tile, and the time never
 * drops below reading A, B and C from HBM once at {@code memoryEfficiency} of peak bandwidth.
 * Each launch adds {@code launchOverheadUs}.
 *
 * <p>Grouped GEMMs (one launch over many experts with uneven token counts, as in a MoE layer):
 * all tiles of all experts share the SMs; with T tiles of total work W (SM-microseconds) the
 * compute time is {@code max(ceil(T / SMs) * W / T, longest tile)}, exact for equal tiles and a
 * list-scheduling estimate for mixed widths. The memory floor reads every active expert's
 * weights plus its tokens' inputs and outputs; experts with no tokens cost nothing.
 *
 * <p>All-to-all: each GPU sends and receives at the same time (full duplex); NVLink traffic and
 * NIC traffic proceed in parallel on their own links; the fabric has full bisection bandwidth,
 * so a GPU's time is {@code max(latency_nv + max(sent, received over NVLink) / BW_nv, latency_nic
 * + max(sent, received over NICs) / BW_nic)} plus {@code messageOverheadUs} per message it
 * issues. The exchange ends with its slowest GPU.
 */
public final class AnalyticalCostModel implements CostModel {
    static final int TILE_M = 128;
    static final int TILE_N = 128;

    private final ClusterSpec cluster;
    private final AnalyticalParams params;

    public AnalyticalCostModel(ClusterSpec cluster, AnalyticalParams params) {
        this.cluster = cluster;
        this.params = params;
    }

    @Override
    public int gemmTileRows() {
        return TILE_M;
    }

    public AnalyticalCostModel(ClusterSpec cluster) {
        this(cluster, AnalyticalParams.DEFAULTS);
    }

    @Override
    public String description() {
        return "analytical roofline (uncalibrated) on " + cluster.gpu().name();
    }

    @Override
    public ClusterSpec cluster() {
        return cluster;
    }

    public AnalyticalParams params() {
        return params;
    }

    private GpuSpec gpu() {
        return cluster.gpu();
    }

    private static long tiles(GemmShape s) {
        return ceilDiv(s.m(), TILE_M) * ceilDiv(s.n(), TILE_N);
    }

    /** Microseconds one SM needs for one 128 x 128 output tile of reduction width k. */
    double tileTimeUs(long k, DType dtype) {
        double perSmFlops = gpu().peakFlops(dtype) / gpu().smCount();
        double efficiency = params.tensorEfficiency() * k / (k + params.kHalfEfficiency());
        return 2.0 * TILE_M * TILE_N * k / (perSmFlops * efficiency) * 1e6;
    }

    private double streamTimeUs(double bytes) {
        return bytes / (gpu().hbmBytesPerSecond() * params.memoryEfficiency()) * 1e6;
    }

    @Override
    public OpCost gemm(GemmShape shape, DType dtype) {
        return groupedGemm(List.of(shape), dtype);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        long totalTiles = 0;
        double tileWorkUs = 0;
        double longestTileUs = 0;
        double flops = 0;
        double bytes = 0;
        for (GemmShape s : shapes) {
            if (s.m() == 0) {
                continue;
            }
            long tiles = tiles(s);
            double tileUs = tileTimeUs(s.k(), dtype);
            totalTiles += tiles;
            tileWorkUs += tiles * tileUs;
            longestTileUs = Math.max(longestTileUs, tileUs);
            flops += s.flops();
            bytes += s.bytes(dtype.bytes());
        }
        if (totalTiles == 0) {
            return OpCost.ZERO;
        }
        long waves = ceilDiv(totalTiles, gpu().smCount());
        double computeUs = Math.max(waves * tileWorkUs / totalTiles, longestTileUs);
        double timeUs = Math.max(computeUs, streamTimeUs(bytes)) + params.launchOverheadUs();
        return new OpCost(timeUs, flops, bytes);
    }

    @Override
    public OpCost memoryBound(double bytes) {
        if (bytes <= 0) {
            return OpCost.ZERO;
        }
        return new OpCost(streamTimeUs(bytes) + params.launchOverheadUs(), 0, bytes);
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        int gpus = bytes.length;
        double[] sentNv = new double[gpus];
        double[] recvNv = new double[gpus];
        double[] sentNic = new double[gpus];
        double[] recvNic = new double[gpus];
        int[] messages = new int[gpus];
        double intra = 0;
        double inter = 0;
        for (int i = 0; i < gpus; i++) {
            for (int j = 0; j < gpus; j++) {
                double b = bytes[i][j];
                if (i == j || b <= 0) {
                    continue;
                }
                messages[i]++;
                if (cluster.sameNode(i, j)) {
                    sentNv[i] += b;
                    recvNv[j] += b;
                    intra += b;
                } else {
                    sentNic[i] += b;
                    recvNic[j] += b;
                    inter += b;
                }
            }
        }
        double nvBytesPerUs = cluster.nvlinkGBps() * 1e3;
        double nicBytesPerUs = cluster.nicGBps() * 1e3;
        double[] perGpu = new double[gpus];
        double slowest = 0;
        for (int i = 0; i < gpus; i++) {
            double nv = Math.max(sentNv[i], recvNv[i]);
            double nic = Math.max(sentNic[i], recvNic[i]);
            double nvUs = nv > 0 ? cluster.nvlinkLatencyUs() + nv / nvBytesPerUs : 0;
            double nicUs = nic > 0 ? cluster.nicLatencyUs() + nic / nicBytesPerUs : 0;
            perGpu[i] = Math.max(nvUs, nicUs) + messages[i] * params.messageOverheadUs();
            slowest = Math.max(slowest, perGpu[i]);
        }
        return new AllToAllCost(perGpu, slowest, intra, inter);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
