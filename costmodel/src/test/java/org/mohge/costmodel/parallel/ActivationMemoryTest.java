package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

class ActivationMemoryTest {

    /**
     * Korthikanti et al. (2205.05198), section 4, for GPT-3 175B's layer: s = 2048, b = 1,
     * h = 12288, a = 96, t = 8. sbh = 2048 x 12288 = 25,165,824; 5as/h = 5 x 96 x 2048 / 12288 = 80.
     */
    @Test
    void paperFormulaByHand() {
        long s = 2048;
        long h = 12288;
        long a = 96;
        // No parallelism: sbh (34 + 80) = 25,165,824 x 114.
        assertThat(ActivationMemory.korthikantiLayerBytes(s, 1, h, a, 1, false, Recompute.NONE))
                .isEqualTo(2_868_903_936.0);
        // Tensor parallel 8: sbh (10 + 24/8 + 80/8) = sbh x 23.
        assertThat(ActivationMemory.korthikantiLayerBytes(s, 1, h, a, 8, false, Recompute.NONE))
                .isEqualTo(578_813_952.0);
        // With sequence parallel: sbh (34/8 + 80/8) = sbh x 14.25.
        assertThat(ActivationMemory.korthikantiLayerBytes(s, 1, h, a, 8, true, Recompute.NONE))
                .isEqualTo(358_612_992.0);
        // Selective recompute with sequence parallel: sbh x 34/8 = sbh x 4.25.
        assertThat(ActivationMemory.korthikantiLayerBytes(s, 1, h, a, 8, true, Recompute.SELECTIVE))
                .isEqualTo(106_954_752.0);
        // Full recompute: the layer input only, 2sbh.
        assertThat(ActivationMemory.korthikantiLayerBytes(s, 1, h, a, 8, false, Recompute.FULL))
                .isEqualTo(50_331_648.0);
    }

    /**
     * The paper's GPT layer (multi-head attention, GELU FFN of 4h) in this tool's terms: with
     * FlashAttention (no score matrix) and no dropout, the paper's selective-recompute figure less
     * its two 1-byte dropout masks (2sbh, or 2sbh/t with sequence parallel).
     */
    @Test
    void gptLayerMatchesThePaperWithoutScoresAndDropout() {
        int h = 64;
        ModelSpec gpt = new ModelSpec(h, 2, 1, 4 * h, 100, false, DType.BF16, new GqaAttention(8, 8, 8),
                new UniformMoe(4, 32, 1, 0, 0, Activation.GELU));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 4);
        TrainingSpec training = new TrainingSpec(16, 1, 128, null, null);
        for (boolean sp : new boolean[] {false, true}) {
            ParallelLayout layout = ParallelLayout.of(new ParallelismSpec(4, 1, 1, 1, 1, 1, sp, null, null, null,
                    null), training, gpt, cluster);
            double paper = ActivationMemory.korthikantiLayerBytes(1, 1, h, 8, 4, sp, Recompute.SELECTIVE);
            double masks = sp ? 2.0 * h / 4 : 2.0 * h;
            assertThat(ActivationMemory.layerBytesPerToken(gpt, layout, false)).isCloseTo(paper - masks,
                    within(1e-9));
        }
    }

    /**
     * A MoE layer's routed rows: a rank's MoE layer takes 1/t of its tokens (sequence parallel) times
     * the etp ranks' of its expert-tensor group, each with k rows of h inputs and the experts'
     * intermediates at hidden / etp. By hand for h = 64, 8 experts of 128, top-2, SwiGLU, no
     * recompute, bf16, per token of the rank: etp / t x 2 x (64 + 2 x 128 / etp + 128 / etp) x 2 bytes.
     * t 2, etp 1: 2 x (64 + 384) x 2 / 2 = 896; t 2, etp 2: 2 x (64 + 192) x 2 = 1024; the rest of the
     * layer is the same in both, and t 1, etp 1 differs from t 2, etp 2 by the rest only.
     */
    @Test
    void routedRowsFollowTheTokensTheMoeLayerTakes() {
        ModelSpec moe = new ModelSpec(64, 2, 0, 0, 100, false, DType.BF16, new GqaAttention(8, 8, 8),
                new UniformMoe(8, 128, 2, 0, 0, Activation.SWIGLU));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 4);
        TrainingSpec training = new TrainingSpec(16, 1, 128, null, null);
        ParallelLayout tp2 = ParallelLayout.of(new ParallelismSpec(2, 1, 1, 1, 2, 1, true, null, null, null, null),
                training, moe, cluster);
        ParallelLayout tp2etp2 = ParallelLayout.of(new ParallelismSpec(2, 1, 1, 1, 1, 2, true, null, null, null,
                null), training, moe, cluster);
        double routedTp2 = 2.0 * (64 + 384) * 2 / 2;
        double routedTp2Etp2 = 2.0 * (64 + 192) * 2;
        assertThat(ActivationMemory.layerBytesPerToken(moe, tp2etp2, true)
                - ActivationMemory.layerBytesPerToken(moe, tp2, true)).isCloseTo(routedTp2Etp2 - routedTp2,
                within(1e-9));
    }
}
