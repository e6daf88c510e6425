package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.AnalyticalParams;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

/**
 * A decode iteration is bound by reading weights at batch 1 and by tensor-core FLOPs at a large
 * batch. The model is a Mixtral-like layer stack where every token uses all 8 experts (top-8 of
 * 8), so the weights an iteration reads are known exactly; launch overheads are set to zero so
 * the roofline terms can be checked by hand.
 */
class IterationPricerTest {
    static final int D = 4096;
    static final int LAYERS = 4;
    static final int VOCAB = 32000;
    static final ModelSpec MODEL = new ModelSpec(D, LAYERS, 0, 0, VOCAB, false, DType.BF16,
            new GqaAttention(32, 8, 128, false), new UniformMoe(8, 14336, 8, 0, 0, Activation.SWIGLU));
    static final ClusterSpec H100 = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 1);
    static final AnalyticalParams NO_LAUNCH = new AnalyticalParams(0.75, 64, 0.85, 0, 0);

    /** Matmul weights one token passes through: per layer q, k, v, o, router, 8 experts x 3 matrices; then the LM head. */
    static double matmulParams() {
        double attention = (double) D * 32 * 128 + 2.0 * D * 8 * 128 + 32.0 * 128 * D;
        double moe = D * 8.0 + 8 * 3.0 * D * 14336;
        return LAYERS * (attention + moe) + (double) VOCAB * D;
    }

    private static LayerOpsPricer pricer() {
        double[][] inclusion = new double[LAYERS][8];
        for (double[] row : inclusion) {
            Arrays.fill(row, 1.0);
        }
        return new LayerOpsPricer(MODEL, new AnalyticalCostModel(H100, NO_LAUNCH), PoolSpec.single(), inclusion, 1);
    }

    @Test
    void batchOneDecodeReadsTheWeights() {
        // One sequence with 1,000 cached tokens: weights (2 bytes each) plus 1,000 x 4 layers x 4,096 KV bytes
        // stream from HBM at 85% of 3,350 GB/s.
        double bytes = 2 * matmulParams() + 1000.0 * LAYERS * 2 * 8 * 128 * 2;
        double expectedUs = bytes / (3350e9 * 0.85) * 1e6;
        IterationCost cost = pricer().price(new BatchShape(0, 0, 1, 1000, 1));
        // The small GEMMs (router: 8 outputs; k and v: 1,024) cannot go faster than one 128 x 128 tile of
        // k = 4,096 on one SM (24 us in the roofline model, which has no split-K), which adds about 4%.
        assertThat(cost.timeNs() / 1e3).isGreaterThanOrEqualTo(expectedUs * 0.999)
                .isCloseTo(expectedUs, Percentage.withPercentage(6));
        // Bound by weights: eight sequences cost about what one does.
        IterationCost eight = pricer().price(new BatchShape(0, 0, 8, 8000, 8));
        double kvUs = 7000.0 * LAYERS * 2 * 8 * 128 * 2 / (3350e9 * 0.85) * 1e6;
        assertThat(eight.timeNs() / 1e3).isCloseTo(cost.timeNs() / 1e3 + kvUs, Percentage.withPercentage(1));
    }

    @Test
    void largeBatchDecodeIsBoundByFlops() {
        // 8,192 sequences with 100 cached tokens each: 2 FLOPs per weight per token at 75% of the 989.5 TFLOP/s
        // bf16 peak, less the k / (k + 64) tile efficiency (k is 4,096 or 14,336 here: >= 98.5%).
        int batch = 8192;
        double flopsUs = 2.0 * matmulParams() * batch / (989.5e12 * 0.75) * 1e6;
        double weightReadUs = 2 * matmulParams() / (3350e9 * 0.85) * 1e6;
        IterationCost cost = pricer().price(new BatchShape(0, 0, batch, 100.0 * batch, batch));
        double us = cost.timeNs() / 1e3;
        assertThat(us).isGreaterThanOrEqualTo(flopsUs).isLessThan(flopsUs * 1.15);
        assertThat(weightReadUs).isLessThan(0.1 * us);
    }

    @Test
    void fp8KvCacheReadsHalfTheKvBytes() {
        // Eight sequences, 8,000 cached tokens: bf16 KV reads 8,000 x 4 layers x 4,096 bytes; fp8 half of it.
        double[][] inclusion = new double[LAYERS][8];
        for (double[] row : inclusion) {
            Arrays.fill(row, 1.0);
        }
        AnalyticalCostModel costModel = new AnalyticalCostModel(H100, NO_LAUNCH);
        LayerOpsPricer fp8 = new LayerOpsPricer(MODEL, costModel, PoolSpec.single(), inclusion, 1, 1, false);
        BatchShape shape = new BatchShape(0, 0, 8, 8000, 8);
        double savedUs = 8000.0 * LAYERS * 2 * 8 * 128 * 1 / (3350e9 * 0.85) * 1e6;
        assertThat((pricer().price(shape).timeNs() - fp8.price(shape).timeNs()) / 1e3)
                .isCloseTo(savedUs, Percentage.withPercentage(0.1));
    }

    @Test
    void dualBatchOverlapHidesTheSmallerOfComputeAndExchange() {
        // Expert parallel over 2 GPUs (dp 2), 8 decoding sequences: each GPU sends 8 / 2 x 8 experts = 32 token
        // copies, half to each GPU, of 4,096 x 2 bytes; a MoE layer's dispatch plus combine is twice that
        // all-to-all. With the overlap a layer costs max(compute, exchange) instead of their sum.
        double[][] inclusion = new double[LAYERS][8];
        for (double[] row : inclusion) {
            Arrays.fill(row, 1.0);
        }
        BatchShape shape = new BatchShape(0, 0, 8, 8000, 8);
        PoolSpec ep2 = new PoolSpec(1, 1, 2, null);
        double bytes = 32 / 2.0 * D * 2;
        double[][] matrix = {{bytes, bytes}, {bytes, bytes}};
        for (double nvlinkGBps : new double[] {450, 0.05}) {
            ClusterSpec two = new ClusterSpec(GpuCatalog.get("h100-sxm"), 1, 2, nvlinkGBps, null, null, null);
            AnalyticalCostModel costModel = new AnalyticalCostModel(two, NO_LAUNCH);
            double exchangeUs = 2 * costModel.allToAll(matrix).timeUs();
            double serialUs = new LayerOpsPricer(MODEL, costModel, ep2, inclusion, 1, 2, false).price(shape).timeNs() / 1e3;
            double overlapUs = new LayerOpsPricer(MODEL, costModel, ep2, inclusion, 1, 2, true).price(shape).timeNs() / 1e3;
            // the LM head over 8 / 2 rows per rank is the only stage outside the layers
            double lmHeadUs = new org.mohge.costmodel.cost.LayerOps(MODEL, costModel).lmHead(4).timeUs();
            double computeUs = (serialUs - lmHeadUs) / LAYERS - exchangeUs;
            assertThat(overlapUs).as("NVLink " + nvlinkGBps + " GB/s")
                    .isCloseTo(LAYERS * Math.max(computeUs, exchangeUs) + lmHeadUs, Percentage.withPercentage(0.01));
            if (nvlinkGBps < 1) {
                // 131,072 bytes each way at 0.05 GB/s: the exchange dominates, compute is hidden
                assertThat(exchangeUs).isGreaterThan(computeUs);
            } else {
                assertThat(computeUs).isGreaterThan(exchangeUs);
            }
        }
    }

    /** One SM's time for a 128 x 128 output tile of reduction width k, as the roofline model defines it. */
    private static double tileUs(double k) {
        return 2.0 * 128 * 128 * k / (989.5e12 / 132 * 0.75 * k / (k + 64)) * 1e6;
    }

    private static double streamUs(double bytes) {
        return bytes / (3350e9 * 0.85) * 1e6;
    }

    @Test
    void expertStageReadsTheDistinctExpertsABatchTouches() {
        // 64 experts of hidden 14,336; the router always picks experts 0 and 1 (inclusion 1, others 0).
        int h = 14336;
        ModelSpec model = new ModelSpec(D, 1, 0, 0, VOCAB, false, DType.BF16, new GqaAttention(32, 8, 128, false),
                new UniformMoe(64, h, 2, 0, 0, Activation.SWIGLU));
        double[][] fixed = new double[1][64];
        fixed[0][0] = 1;
        fixed[0][1] = 1;
        org.mohge.costmodel.cost.LayerOps ops = new org.mohge.costmodel.cost.LayerOps(model,
                new AnalyticalCostModel(H100, NO_LAUNCH));
        ExpertStageTable table = new ExpertStageTable(ops, fixed, 1, 3);
        // By hand, one token: gate+up GEMM 1 x 28,672 x 4,096 per expert = 224 tiles each, 448 tiles in 4 waves of
        // 132 SMs; down 1 x 4,096 x 14,336 = 32 tiles each, one wave. Memory: each expert's weights once.
        double upBytes = 2 * 2.0 * (4096 + 4096.0 * 2 * h + 2.0 * h);
        double downBytes = 2 * 2.0 * (h + (double) h * 4096 + 4096);
        double up = Math.max(4 * tileUs(4096), streamUs(upBytes));
        double act = streamUs(2 * 1.0 * h * 3 * 2);
        double down = Math.max(tileUs(h), streamUs(downBytes));
        assertThat(table.at(1)[0]).isCloseTo(up + act + down, Percentage.withPercentage(0.01));
        assertThat(streamUs(upBytes + downBytes) / (up + act + down)).as("weight-read bound").isGreaterThan(0.95);
        // Eight tokens on the same two experts read the same weights: about the same time.
        assertThat(table.at(8)[0]).isCloseTo(table.at(1)[0], Percentage.withPercentage(1));

        // Top-2 of 64 with equal odds: the expected distinct experts grow from 2 (one token) to
        // 64 x (1 - (1 - 2/64)^4) = 7.63 (four tokens), and the stage time with them.
        double[][] even = new double[1][64];
        Arrays.fill(even[0], 2.0 / 64);
        ExpertStageTable drawn = new ExpertStageTable(ops, even, 1, 3);
        double perExpertUs = streamUs((upBytes + downBytes) / 2);
        assertThat(drawn.at(1)[0] / perExpertUs).isBetween(1.5, 2.6);
        assertThat(drawn.at(4)[0] / perExpertUs).isBetween(6.0, 9.0);
    }
}
