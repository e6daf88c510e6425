package org.mohge.costmodel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;

/**
 * Every op of a layer priced on the toy GPU (1 TFLOP/s, 1 GB/s) and checked against a hand
 * computation. Toy model: d = 64, GQA with 2 heads, 1 KV head, head dim 32, bf16, vocabulary 100,
 * 4 routed SwiGLU experts of hidden 96 (top-1) and one shared expert of hidden 48.
 */
class LayerOpsTest {
    private static final ModelSpec MODEL = new ModelSpec(64, 2, 0, 0, 100, false, DType.BF16,
            new GqaAttention(2, 1, 32, null), new UniformMoe(4, 96, 1, 1, 48, Activation.SWIGLU));
    private static final LayerOps OPS = new LayerOps(MODEL, new ToyCostModel());
    private static final double EPS = 1e-9;

    @Test
    void routedExpertsAreTwoGroupedGemmsAroundTheActivation() {
        OpCost c = OPS.experts(new double[] {3, 0, 5}, new int[] {96, 96, 96});
        // SwiGLU: gate+up (m x 192 x 64) and down (m x 64 x 96): 6 m h d FLOPs; 8 tokens in all.
        double flops = 6.0 * 8 * 96 * 64;
        assertThat(c.flops()).isEqualTo(294_912.0).isEqualTo(flops);
        // The activation reads gate and up and writes their product: 3 x m x h values of 2 bytes.
        double activationBytes = 3.0 * 8 * 96 * 2;
        assertThat(c.timeUs()).isCloseTo(flops / 1e6 + activationBytes / 1e3, within(EPS));
    }

    @Test
    void sharedExpertRunsOnEveryToken() {
        assertThat(OPS.sharedExperts(4).flops()).isEqualTo(6.0 * 4 * 48 * 64);
    }

    @Test
    void routerIsAGemmToTheLogitsThenSoftmaxOverFp32() {
        OpCost c = OPS.router(10);
        // 10 x 4 x 64 GEMM: 5,120 FLOPs; softmax/top-k reads and writes 10 x 4 fp32 logits: 320 bytes.
        assertThat(c.flops()).isEqualTo(5_120.0);
        assertThat(c.timeUs()).isCloseTo(5_120 / 1e6 + 320 / 1e3, within(EPS));
    }

    @Test
    void permuteMovesEachCopyTwiceAndUnpermuteReadsCopiesAndWritesTokens() {
        // A token row is 64 x 2 bytes = 128 bytes.
        assertThat(OPS.tokenBytes()).isEqualTo(128.0);
        assertThat(OPS.permute(6).timeUs()).isCloseTo(2 * 6 * 128 / 1e3, within(EPS));
        assertThat(OPS.unpermute(6, 4).timeUs()).isCloseTo((6 + 4) * 128 / 1e3, within(EPS));
    }

    @Test
    void attentionIsNormProjectionsCoreAndOutput() {
        OpCost c = OPS.attention(10, 5);
        // QKV: 10 x (2 + 2) x 32 x 64 -> 163,840 FLOPs; core: 2 heads x (32 + 32) x 2 x 5 context x 10
        // tokens = 12,800 FLOPs; output: 10 x 64 x 64 -> 81,920 FLOPs.
        double flops = 2.0 * 10 * 128 * 64 + 12_800 + 2.0 * 10 * 64 * 64;
        assertThat(c.flops()).isEqualTo(flops);
        // RMSNorm reads and writes 10 rows of 128 bytes.
        assertThat(c.timeUs()).isCloseTo(flops / 1e6 + 2 * 10 * 128 / 1e3, within(EPS));
    }

    @Test
    void lmHeadProjectsToTheVocabularyAndBackwardIsTwiceForward() {
        OpCost head = OPS.lmHead(10);
        assertThat(head.flops()).isEqualTo(2.0 * 10 * 100 * 64);
        assertThat(LayerOps.backward(head).flops()).isEqualTo(2 * head.flops());
        assertThat(LayerOps.backward(head).timeUs()).isCloseTo(2 * head.timeUs(), within(EPS));
    }

    @Test
    void fractionalTokensRoundUpAndNoTokensCostNothing() {
        assertThat(OPS.lmHead(9.2).flops()).isEqualTo(2.0 * 10 * 100 * 64);
        assertThat(OPS.experts(new double[] {0, 0}, new int[] {96, 96})).isEqualTo(OpCost.ZERO);
        assertThat(OPS.attention(0, 5)).isEqualTo(OpCost.ZERO);
    }

    @Test
    void elementwiseKernelsOfALayerStreamTheirTensorsOnce() {
        // 10 tokens: RoPE reads and writes q and k, 10 x (2 + 1) heads x 32 = 960 values x 2 B x 2
        // = 3840 B; the pre-FFN norm reads and writes 10 x 64 x 2 B = 1280 B each way (2560 B);
        // two residual adds read two tensors and write one, 3 x 1280 B each. At 1 GB/s:
        // 3.84 + 2.56 + 3.84 + 3.84 us. No QK-norm in this model.
        assertThat(OPS.layerElementwise(10).timeUs()).isCloseTo(14.08, within(EPS));
    }

    @Test
    void fp8CurrentScalingQuantizesInTwoPassesAndBf16DoesNot() {
        // amax reads 1000 bf16 values (2000 B), the cast reads them again and writes 1000 B: 5 us.
        LayerOps fp8 = new LayerOps(MODEL, new ToyCostModel(), DType.FP8, DType.BF16);
        assertThat(fp8.quantize(1000).timeUs()).isCloseTo(5, within(EPS));
        assertThat(OPS.quantize(1000).timeUs()).isZero();
    }

    @Test
    void crossEntropyReadsTheLogitsAndWritesTheirGradient() {
        // 10 tokens x vocabulary 100 x 2 B, read and written: 4000 B at 1 GB/s.
        assertThat(OPS.crossEntropy(10).timeUs()).isCloseTo(4, within(EPS));
    }
}
