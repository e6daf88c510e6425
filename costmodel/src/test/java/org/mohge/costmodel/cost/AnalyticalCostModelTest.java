package org.mohge.costmodel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.hardware.GpuSpec;

class AnalyticalCostModelTest {
    /** A round-number GPU: 100 SMs, 100 TFLOP/s bf16 (1 TFLOP/s per SM), 1000 GB/s HBM. */
    private static final GpuSpec TOY = new GpuSpec("toy", 100, 100, 0.0, 1000, 10, 100, 10, 100, 10);
    /** Efficiency 1, no k fall-off, full bandwidth, no launch cost: times are pure arithmetic. */
    private static final AnalyticalParams IDEAL = new AnalyticalParams(1.0, 0, 1.0, 0, 0);

    private static AnalyticalCostModel toy(AnalyticalParams params) {
        return new AnalyticalCostModel(ClusterSpec.of(TOY, 2, 2), params);
    }

    @Test
    void oneTileGemmTakesOneTileTime() {
        // 128x128x1024 tile: 2*128*128*1024 = 33.55 MFLOP on one SM at 1 TFLOP/s = 33.554 us.
        // Bytes (128*1024*2)*2 + 128*128*2 = 557,056 B at 1000 GB/s = 0.557 us: compute-bound.
        OpCost cost = toy(IDEAL).gemm(new GemmShape(128, 128, 1024), DType.BF16);
        assertThat(cost.timeUs()).isCloseTo(33.554432, within(1e-6));
        assertThat(cost.flops()).isEqualTo(2.0 * 128 * 128 * 1024);
    }

    @Test
    void waveQuantizationChargesAPartialWaveInFull() {
        // 101 tiles on 100 SMs: two waves, twice the time of 100 tiles (one wave).
        AnalyticalCostModel model = toy(IDEAL);
        double oneWave = model.gemm(new GemmShape(128 * 100, 128, 1024), DType.BF16).timeUs();
        double twoWaves = model.gemm(new GemmShape(128 * 101, 128, 1024), DType.BF16).timeUs();
        assertThat(twoWaves).isCloseTo(2 * oneWave, within(1e-9));
    }

    @Test
    void smallMPaysForAFullTileAndFallsToTheMemoryFloor() {
        AnalyticalCostModel model = toy(IDEAL);
        double m16 = model.gemm(new GemmShape(16, 128, 1024), DType.BF16).timeUs();
        double m128 = model.gemm(new GemmShape(128, 128, 1024), DType.BF16).timeUs();
        assertThat(m16).isEqualTo(m128);
        // Very wide, very short: 1 x 1024 x 102400 reads 200 MB of weights -> 209.7 us at 1000 GB/s,
        // while compute is 8 tiles... of k = 102400: 2*128*128*102400 / 1e12 = 3355 us. Use k small instead:
        // 1 x 1,048,576 x 128: weights 128*1M*2 = 268 MB -> 268.4 us; compute 8192 tiles / 100 SMs = 82 waves
        // of 4.19 us = 343.9 us. So compute wins there; with k = 16 compute is 43 us and memory 33.6 us + A, C.
        OpCost flat = model.gemm(new GemmShape(1, 1 << 20, 16), DType.BF16);
        double bytes = (1.0 * 16 + 16.0 * (1 << 20) + 1.0 * (1 << 20)) * 2;
        double computeUs = Math.ceil((1 << 20) / 128.0 / 100) * 2.0 * 128 * 128 * 16 / 1e12 * 1e6;
        assertThat(flat.timeUs()).isCloseTo(Math.max(computeUs, bytes / 1e9 / 1000 * 1e6), within(1e-6));
    }

    @Test
    void groupedGemmSkipsEmptyExpertsAndSharesTheWaves() {
        AnalyticalCostModel model = toy(IDEAL);
        // 60 tiles of k=1024 (33.554 us each) + 60 tiles of k=2048 (67.109 us): 120 tiles -> 2 waves;
        // work 60*33.554 + 60*67.109 = 6039.8 SM-us, mean tile 50.33 us -> 2 * 50.33 = 100.66 us.
        List<GemmShape> shapes = List.of(new GemmShape(128 * 60, 128, 1024), new GemmShape(0, 128, 4096),
                new GemmShape(128 * 60, 128, 2048));
        OpCost cost = model.groupedGemm(shapes, DType.BF16);
        double tile1k = 33.554432;
        assertThat(cost.timeUs()).isCloseTo(2 * (60 * tile1k + 60 * 2 * tile1k) / 120, within(1e-6));
        assertThat(model.groupedGemm(List.of(new GemmShape(0, 128, 128)), DType.BF16)).isEqualTo(OpCost.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-sxm", "h200-sxm"})
    void largeSquareBf16GemmLandsAtARealisticShareOfPeak(String gpu) {
        GpuSpec spec = GpuCatalog.get(gpu);
        AnalyticalCostModel model = new AnalyticalCostModel(ClusterSpec.of(spec, 1, 8));
        for (int n : new int[] {4096, 8192, 16384}) {
            OpCost cost = model.gemm(new GemmShape(n, n, n), DType.BF16);
            double share = cost.tflops() * 1e12 / spec.peakFlops(DType.BF16);
            assertThat(share).as("%s %d^3", gpu, n).isBetween(0.55, 0.85);
        }
    }

    @Test
    void memoryBoundOpStreamsAtTheEffectiveBandwidthPlusLaunch() {
        AnalyticalCostModel model = toy(new AnalyticalParams(1.0, 0, 0.5, 3.0, 0));
        // 1 GB at 50% of 1000 GB/s = 2000 us, plus 3 us launch.
        assertThat(model.memoryBound(1e9).timeUs()).isCloseTo(2003.0, within(1e-9));
    }

    @Test
    void allToAllSplitsNvlinkAndNicTrafficAndEndsWithTheSlowestGpu() {
        // 2 nodes x 2 GPUs, NVLink 100 GB/s (latency 2 us), NIC 10 GB/s (latency 5 us), 0.5 us per message.
        AnalyticalCostModel model = new AnalyticalCostModel(ClusterSpec.of(TOY, 2, 2),
                new AnalyticalParams(1.0, 0, 1.0, 0, 0.5));
        double[][] bytes = new double[4][4];
        bytes[0][1] = 1e6;  // intra-node: 1 MB over NVLink = 10 us
        bytes[0][2] = 1e6;  // inter-node: 1 MB over NIC = 100 us
        bytes[3][2] = 2e6;  // intra-node on node 1
        AllToAllCost cost = model.allToAll(bytes);
        // GPU 0: max(2 + 10, 5 + 100) + 2 messages * 0.5 = 106
        assertThat(cost.perGpuTimeUs()[0]).isCloseTo(106.0, within(1e-9));
        // GPU 2 receives 1 MB over NIC and 2 MB over NVLink: max(2 + 20, 5 + 100) = 105, sends nothing
        assertThat(cost.perGpuTimeUs()[2]).isCloseTo(105.0, within(1e-9));
        // GPU 3 sends 2 MB over NVLink: 2 + 20 + 0.5
        assertThat(cost.perGpuTimeUs()[3]).isCloseTo(22.5, within(1e-9));
        assertThat(cost.timeUs()).isCloseTo(106.0, within(1e-9));
        assertThat(cost.intraNodeBytes()).isEqualTo(3e6);
        assertThat(cost.interNodeBytes()).isEqualTo(1e6);
    }
}
