package org.mohge.costmodel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuSpec;

/**
 * Hand-computed prices on a toy GPU: 2 SMs, 2 TFLOP/s bf16 (1e6 FLOP/us per SM), 1000 GB/s HBM,
 * NVLink 100 GB/s. Parameters: GEMMs at 50% (5e5 FLOP/us per SM), operands at 1000 GB/s per SM
 * (1e6 B/us), no small-K loss (kHalf 0), HBM at 50% (5e5 B/us), launch 1 us, 2 us per grouped
 * GEMM, attention at 50% forward and 25% backward with dHalf 64 and LHalf 100, links at 50%.
 */
class ProfiledCostModelTest {
    private static final GpuSpec TOY = new GpuSpec("toy", 2, 2, 2.0, 1000, 80, 2, 50, 100, 10);
    private static final KernelParams PARAMS = new KernelParams(0.5, 0.5, 1000, 0, 0.5, 1, 2, 0.5, 0.25, 64, 100,
            0.5, 0.5);
    private final ProfiledCostModel model = new ProfiledCostModel(ClusterSpec.of(TOY, 1, 2), PARAMS, "toy");

    @Test
    void gemmFillsBothSmsWithTheBestTile() {
        // 128 x 256 x 1000: a r x c tile takes 2 r c 1000 / 5e5 = r c / 250 us (operand loads,
        // (r + c) x 2000 B / 1e6 B/us, are far shorter). 64x64: 8 tiles, 4 waves of 16.384 us;
        // 64x128, 128x64: 4 tiles, 2 waves of 32.768; 64x256, 128x128: 2 tiles, one wave of 65.536;
        // 128x256: one tile of 131.072. Best 65.536 us, the perfect split of 65.536 MFLOP over
        // 2 SMs. HBM: (128000 + 256000 + 32768) x 2 B / 5e5 B/us = 1.667 us, hidden. Plus launch 1.
        assertThat(model.gemm(new GemmShape(128, 256, 1000), DType.BF16).timeUs()).isCloseTo(66.536, within(1e-9));
    }

    @Test
    void waveQuantizationPaysForTheIdleSm() {
        // 192 x 64 x 1000: 64x64 tiles: 3 tiles, 2 waves of 16.384 = 32.768 us; 128x64: 2 tiles
        // (the second padded from 64 rows), one wave of 32.768. The ideal 24.576 us is out of
        // reach: one SM idles for a third of the time. Plus launch 1.
        assertThat(model.gemm(new GemmShape(192, 64, 1000), DType.BF16).timeUs()).isCloseTo(33.768, within(1e-9));
    }

    @Test
    void narrowTilesAreBoundByOperandLoads() {
        // Operands at 1 GB/s per SM (1e3 B/us): a r x c tile loads (r + c) x 1000 x 2 B, taking
        // 2 (r + c) us, against r c / 250 us of math. 64x64: 256 us x 4 waves = 1024; 64x128 or
        // 128x64: 384 x 2 = 768; 64x256: 640 x 1; 128x128: 512 x 1; 128x256: 768 x 1. Best 512 + 1.
        KernelParams slowLoads = new KernelParams(0.5, 0.5, 1, 0, 0.5, 1, 2, 0.5, 0.25, 64, 100, 0.5, 0.5);
        ProfiledCostModel m = new ProfiledCostModel(ClusterSpec.of(TOY, 1, 2), slowLoads, "toy");
        assertThat(m.gemm(new GemmShape(128, 256, 1000), DType.BF16).timeUs()).isCloseTo(513, within(1e-9));
    }

    @Test
    void smallKLosesTheMainLoopShare() {
        // kHalf 1000 at k = 1000 halves the tile rate: 65.536 us becomes 131.072, plus launch 1.
        KernelParams shortK = new KernelParams(0.5, 0.5, 1000, 1000, 0.5, 1, 2, 0.5, 0.25, 64, 100, 0.5, 0.5);
        ProfiledCostModel m = new ProfiledCostModel(ClusterSpec.of(TOY, 1, 2), shortK, "toy");
        assertThat(m.gemm(new GemmShape(128, 256, 1000), DType.BF16).timeUs()).isCloseTo(132.072, within(1e-9));
    }

    @Test
    void fp8AtTwiceTheTensorRateHasTwiceTheKHalf() {
        // A toy whose fp8 peak (4 TFLOP/s) is twice its bf16 peak: the tile's fixed cost, kHalf 1000
        // reduction steps at the bf16 rate, is 2000 steps at the fp8 rate. 128 x 256 x 1000 in fp8:
        // 32.768 MFLOP per SM at 2e12 x 0.5 x 1000 / 3000 = 3.333e11 FLOP/s = 98.304 us, plus launch 1.
        // The same GEMM in bf16 keeps kHalf 1000: 1e12 x 0.5 x 1000 / 2000 = 2.5e11: 131.072 + 1.
        GpuSpec fastFp8 = new GpuSpec("toy8", 2, 2, 4.0, 1000, 80, 2, 50, 100, 10);
        KernelParams shortK = new KernelParams(0.5, 0.5, 1000, 1000, 0.5, 1, 2, 0.5, 0.25, 64, 100, 0.5, 0.5);
        ProfiledCostModel m = new ProfiledCostModel(ClusterSpec.of(fastFp8, 1, 2), shortK, "toy");
        assertThat(m.gemm(new GemmShape(128, 256, 1000), DType.FP8).timeUs()).isCloseTo(99.304, within(1e-9));
        assertThat(m.gemm(new GemmShape(128, 256, 1000), DType.BF16).timeUs()).isCloseTo(132.072, within(1e-9));
    }

    @Test
    void gemmNeverBeatsReadingItsOperandsFromHbm() {
        // HBM at 1 GB/s, 50% achieved = 500 B/us: the 833,536 B of A, B and C take 1667.072 us.
        GpuSpec slowHbm = new GpuSpec("toy", 2, 2, 2.0, 1, 80, 2, 50, 100, 10);
        ProfiledCostModel m = new ProfiledCostModel(ClusterSpec.of(slowHbm, 1, 2), PARAMS, "toy");
        assertThat(m.gemm(new GemmShape(128, 256, 1000), DType.BF16).timeUs()).isCloseTo(1668.072, within(1e-9));
        // A memory-bound kernel: 1e6 B / 500 B/us + launch.
        assertThat(m.memoryBound(1e6).timeUs()).isCloseTo(2001, within(1e-9));
    }

    @Test
    void groupedGemmSharesTheSmsAndPaysPerGroup() {
        // Three 128 x 128 x 1000 GEMMs and an empty one: 98.304 MFLOP. 128x128 tiles: 3 tiles,
        // 2 waves of 65.536 = 131.072; 64-row or 64-column tiles: 6 tiles, 3 waves of 32.768 =
        // 98.304, the perfect split. Plus launch 1 and the groups' setup: 3 non-empty groups on
        // 2 SMs, ceil(3 / 2) = 2 per SM in turn, x 2 us.
        List<GemmShape> shapes = List.of(new GemmShape(128, 128, 1000), new GemmShape(0, 128, 1000),
                new GemmShape(128, 128, 1000), new GemmShape(128, 128, 1000));
        assertThat(model.groupedGemm(shapes, DType.BF16).timeUs()).isCloseTo(103.304, within(1e-9));
    }

    @Test
    void attentionForwardAndBackwardRunOnTheirOwnCurves() {
        // 1000 queries, 2 heads of 64, 500 keys each: forward 2 x 1000 x 2 x 128 x 500 = 2.56e8
        // FLOPs at 2e12 x 0.5 x 64/(64+64) x 500/(500+100) = 4.1667e11 FLOP/s: 614.4 us + 1.
        AttentionShape shape = new AttentionShape(1000, 2, 64, 64, 500);
        assertThat(model.attentionForward(shape, DType.BF16).timeUs()).isCloseTo(615.4, within(1e-6));
        // Backward: 2.5x the FLOPs (6.4e8) at half the forward's share: 3072 us + 1.
        assertThat(model.attentionBackward(shape, DType.BF16).timeUs()).isCloseTo(3073, within(1e-6));
    }

    @Test
    void allToAllRunsAtTheAchievedLinkShare() {
        // Two GPUs of a node each send 1e6 B: NVLink 100 GB/s at 50% = 5e4 B/us: 2 us latency +
        // 20 us + 0.2 us for the one message each issues.
        double[][] bytes = {{0, 1e6}, {1e6, 0}};
        assertThat(model.allToAll(bytes).timeUs()).isCloseTo(22.2, within(1e-9));
    }
}
