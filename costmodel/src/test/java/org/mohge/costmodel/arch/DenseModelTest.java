package org.mohge.costmodel.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.spec.SpecViolation;

/** A model without a moe section: every layer dense, counted against Llama 3 8B's published size. */
class DenseModelTest {
    /** Llama 3 8B (meta-llama/Meta-Llama-3-8B config.json): h 4096, 32 layers, FFN 14336, 32 q / 8 kv heads of 128. */
    static final ModelSpec LLAMA3_8B = new ModelSpec(4096, 32, 0, 14336, 128256, false, DType.BF16,
            new GqaAttention(32, 8, 128), null);

    @Test
    void llama3_8bHasItsPublishedParameterCount() {
        ParamReport r = ParamAccounting.count(LLAMA3_8B);
        // embedding and LM head 128256 x 4096 = 525,336,576 each;
        // per layer: q and o 2 x 4096 x 4096 = 33,554,432, k and v 2 x 4096 x 1024 = 8,388,608,
        // SwiGLU FFN 3 x 4096 x 14336 = 176,160,768, two norms 8,192 -> 218,112,000; x 32 = 6,979,584,000;
        // final norm 4,096. Total 8,030,261,248: the 8.03B of the Hugging Face model card (safetensors count).
        assertThat(r.totalParams()).isEqualTo(2L * 525_336_576 + 32L * 218_112_000 + 4096);
        assertThat(r.totalParams()).isEqualTo(8_030_261_248L);
        assertThat(r.activatedParams()).isCloseTo(8_030_261_248.0, within(0.5));
        assertThat(r.routerParams()).isZero();
        assertThat(r.groups()).isEmpty();
        assertThat(LLAMA3_8B.isDense()).isTrue();
        assertThat(LLAMA3_8B.denseLayers()).isEqualTo(32);
        assertThat(LLAMA3_8B.moeLayers()).isZero();
        assertThat(LLAMA3_8B.denseActivation()).isEqualTo(Activation.SWIGLU);
    }

    @Test
    void forwardFlopsPerTokenByHand() {
        // 2 x (weights a token passes: 32 x (q,k,v,o 41,943,040 + FFN 176,160,768) + LM head 525,336,576)
        // = 2 x 7,504,658,432; plus the causal core 32 layers x 4 x mean context (8193 / 2) x 32 heads x 128.
        double expected = 2.0 * 7_504_658_432L + 32 * 4 * (8193 / 2.0) * 32 * 128;
        assertThat(FlopAccounting.forwardFlopsPerToken(LLAMA3_8B, FlopAccounting.causalMeanContext(8192)))
                .isCloseTo(expected, within(1.0));
    }

    @Test
    void aDenseModelNeedsItsFfnAndAllLayersDense() {
        assertThatThrownBy(() -> new ModelSpec(64, 4, 0, 0, 100, false, DType.BF16, new GqaAttention(2, 1, 32), null))
                .isInstanceOf(SpecViolation.class)
                .hasMessageContaining("denseFfnHidden").hasMessageContaining("dense model");
        assertThatThrownBy(() -> new ModelSpec(64, 4, 2, 128, 100, false, DType.BF16, new GqaAttention(2, 1, 32), null))
                .isInstanceOf(SpecViolation.class)
                .hasMessageContaining("denseLayers").hasMessageContaining("must equal layers (4)");
        // A GELU FFN is written as denseActivation.
        ModelSpec gelu = new ModelSpec(64, 4, 4, 128, 100, false, DType.BF16, new GqaAttention(2, 1, 32), null,
                Activation.GELU);
        // 4 layers x 2 x 64 x 128 = 65,536 FFN weights.
        assertThat(ParamAccounting.count(gelu).components().stream()
                .filter(c -> c.component().equals("dense ffn")).findFirst().orElseThrow().totalParams())
                .isEqualTo(65_536);
    }
}
