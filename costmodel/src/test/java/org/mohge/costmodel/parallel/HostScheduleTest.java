package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;

/** Host operations per layer counted by hand from the table in {@link HostSchedule}'s comment. */
class HostScheduleTest {
    /** 128 experts, top-8 (Qwen3-30B-A3B's MoE), no shared expert, 1 dense layer of 4. */
    private static final ModelSpec MODEL = new ModelSpec(2048, 4, 1, 6144, 1000, false, DType.BF16,
            new GqaAttention(32, 4, 128), new UniformMoe(128, 768, 8, 0, 0, Activation.SWIGLU));

    private static HostSchedule schedule(int ep, PrecisionRecipe recipe) {
        ParallelLayout layout = ParallelLayout.of(new ParallelismSpec(1, 1, 1, 1, ep, 1, null, false, null, null, null),
                new TrainingSpec(64, 1, 1024, Recompute.NONE, null), MODEL, TrainingStepPricerTest.CLUSTER);
        Precision precision = new PrecisionSpec(recipe, null, null, null, null, null, null, null).resolve();
        return HostSchedule.megatronCore(MODEL, layout, precision);
    }

    @Test
    void fp8CurrentScalingWithSixteenExpertsPerRank() {
        HostSchedule s = schedule(8, PrecisionRecipe.FP8_TENSORWISE);
        // q = 3 (amax, scale, cast), E = 128 / 8 = 16.
        // attention: 10 + 2*3 = 16 forward, 13 + 2*3 = 19 backward.
        assertThat(s.attentionForwardOps()).isEqualTo(16);
        assertThat(s.attentionBackwardOps()).isEqualTo(19);
        // MoE forward: router 8 + metadata 9 + copies 7 + permute/a2a/sort 9 + activation 2 + 2*16*(1+3) = 35 + 128.
        assertThat(s.moeForwardOps()).isEqualTo(163);
        // MoE backward: router 6 + exchanges 7 + activation 2 + 2*16*(2+3) = 15 + 160.
        assertThat(s.moeBackwardOps()).isEqualTo(175);
        // Dense FFN: 2 GEMMs with their quantize + activation: 2*(1+3) + 1 = 9; backward 2*(2+3) + 1 = 11.
        assertThat(s.denseFfnForwardOps()).isEqualTo(9);
        assertThat(s.denseFfnBackwardOps()).isEqualTo(11);
        assertThat(s.forwardOps(true)).isEqualTo(16 + 163);
        assertThat(s.backwardOps(false)).isEqualTo(19 + 11);
        assertThat(s.moeForwardSyncs()).isEqualTo(1);
    }

    @Test
    void bf16QuantizesNothingAndFewerExpertsPerRankIssueLess() {
        HostSchedule s = schedule(16, PrecisionRecipe.BF16);
        // q = 0, E = 8: forward 35 + 2*8 = 51, backward 15 + 2*8*2 = 47, attention 10 and 13.
        assertThat(s.moeForwardOps()).isEqualTo(51);
        assertThat(s.moeBackwardOps()).isEqualTo(47);
        assertThat(s.forwardOps(true)).isEqualTo(61);
        assertThat(s.backwardOps(true)).isEqualTo(60);
    }

    @Test
    void blockwiseAndMxRecipesQuantizeInOneKernel() {
        assertThat(HostSchedule.quantizeKernels(PrecisionRecipe.MXFP8)).isEqualTo(1);
        assertThat(HostSchedule.quantizeKernels(PrecisionRecipe.FP8_BLOCKWISE)).isEqualTo(1);
        // E = 16, q = 1: forward 35 + 2*16*2 = 99.
        assertThat(schedule(8, PrecisionRecipe.MXFP8).moeForwardOps()).isEqualTo(99);
    }
}
