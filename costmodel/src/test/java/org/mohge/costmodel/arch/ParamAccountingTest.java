package org.mohge.costmodel.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.spec.SpecViolation;

class ParamAccountingTest {

    /** d = 8, 2 layers, GQA 2 heads / 1 kv head of dim 4, vocab 10, 4 uniform SwiGLU experts of 16, top-2. */
    private static ModelSpec tinyUniform() {
        return new ModelSpec(8, 2, 0, 0, 10, false, DType.BF16, new GqaAttention(2, 1, 4),
                new UniformMoe(4, 16, 2, 0, 0, Activation.SWIGLU));
    }

    @Test
    void countsATinyUniformModelByHand() {
        ParamReport r = ParamAccounting.count(tinyUniform());
        // embedding 10*8 = 80, lm head 80
        // attention per layer: q 8*2*4 = 64, k,v 2*8*1*4 = 64, o 2*4*8 = 64 -> 192; 2 layers -> 384
        // norms: 2 layers * 2 * 8 + final 8 = 40
        // router: 8*4 = 32 per layer -> 64
        // experts: 3*8*16 = 384 each, 4 per layer -> 1536; 2 layers -> 3072
        assertThat(r.totalParams()).isEqualTo(80 + 80 + 384 + 40 + 64 + 3072);
        // activated: everything but the 2 of 4 experts not chosen: 3072 / 2 = 1536 routed
        assertThat(r.activatedParams()).isCloseTo(80 + 80 + 384 + 40 + 64 + 1536, within(1e-9));
        assertThat(r.routerParams()).isEqualTo(64);
    }

    @Test
    void groupedModelCountsTwoLevelRouterAndGroupMix() {
        // groups: 4 experts of 8 and 2 experts of 24, top-1 group, top-2 experts per group, GELU (2 matrices)
        GroupedMoe moe = new GroupedMoe(List.of(new ExpertGroup(8, 4), new ExpertGroup(24, 2)), 1, 2, 1, 16,
                Activation.GELU);
        ModelSpec model = new ModelSpec(4, 1, 0, 0, 5, true, DType.BF16, new GqaAttention(1, 1, 4), moe);
        ParamReport even = ParamAccounting.count(model);
        // router d*(groups + experts) = 4 * (2 + 6) = 32; experts 4*(2*4*8) + 2*(2*4*24) = 256 + 384 = 640
        // shared 2*4*16 = 128; attention q,k,v,o = 4*4 each = 64; norms 2*4 + 4 = 12; tied embedding 20
        assertThat(even.totalParams()).isEqualTo(20 + 64 + 12 + 32 + 128 + 640);
        // even group mix: 2 experts per token, mean expert = (64 + 192) / 2 = 128 -> 256 routed
        assertThat(even.activatedParams()).isCloseTo(20 + 64 + 12 + 32 + 128 + 256, within(1e-9));
        // all tokens to the small group: 2 * 64 = 128 routed
        ParamReport small = ParamAccounting.count(model, moe.expertSharesFromGroupMix(new double[] {1, 0}));
        assertThat(small.activatedParams()).isCloseTo(20 + 64 + 12 + 32 + 128 + 128, within(1e-9));
        assertThat(small.groups().get(0).activationShare()).isEqualTo(1.0);
        assertThat(small.groups().get(1).totalParams()).isEqualTo(384);
    }

    @Test
    void mlaAttentionMatchesDeepSeekV3LayerByHand() {
        MlaAttention mla = new MlaAttention(128, 1536, 512, 128, 64, 128);
        long expected = 7168L * 1536 + 1536L * 128 * 192 + 7168L * 576 + 512L * 128 * 256 + 128L * 128 * 7168
                + 1536 + 512;
        assertThat(mla.params(7168)).isEqualTo(expected).isEqualTo(187_107_328L);
    }

    @Test
    void heterogeneousSizeClassesAreDistinctSizesAscending() {
        HeterogeneousMoe moe = new HeterogeneousMoe(List.of(32, 8, 32, 16), 2, 0, 0, null);
        assertThat(moe.sizeClasses()).containsExactly(new ExpertGroup(8, 1), new ExpertGroup(16, 1),
                new ExpertGroup(32, 2));
        assertThat(moe.expertShapes().get(0).sizeClass()).isEqualTo(2);
        assertThat(moe.expertShapes().get(1).sizeClass()).isEqualTo(0);
    }

    @Test
    void forwardFlopsAreTwicePerMatmulWeightPlusAttentionCore() {
        ModelSpec model = tinyUniform();
        // per layer: 2 * (attention 192 + router 32 + 2 experts * 384) = 2 * 992 = 1984
        // core: 2 * heads 2 * (4 + 4) * context 3 = 96; lm head 2 * 80 = 160
        double flops = FlopAccounting.forwardFlopsPerToken(model, 3);
        assertThat(flops).isCloseTo(2 * (1984 + 96) + 160, within(1e-9));
    }

    @Test
    void invalidSpecsNameTheField() {
        assertThatThrownBy(() -> new GroupedMoe(List.of(new ExpertGroup(8, 4)), 2, 1, 0, 0, null))
                .isInstanceOf(SpecViolation.class).hasMessage("topGroups must be <= the number of groups (1), got 2");
        assertThatThrownBy(() -> new GqaAttention(8, 3, 64))
                .isInstanceOf(SpecViolation.class).hasMessage("kvHeads must divide heads (8), got 3");
        assertThatThrownBy(() -> new GroupedMoe(List.of(new ExpertGroup(16, 4), new ExpertGroup(8, 4)), 1, 1, 0, 0,
                null)).isInstanceOf(SpecViolation.class)
                .hasMessageStartingWith("groups[1].expertHidden must be larger than groups[0].expertHidden (16)");
        assertThatThrownBy(() -> new ExpertGroup(-5, 2)).hasMessage("expertHidden must be > 0, got -5");
    }
}
