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

    /** Operations and kernels of one MoE layer's forward pieces, attention excluded. */
    private static int moeForwardOps(HostSchedule s) {
        return s.routingForward().total() + s.dispatchForward().total() + s.expertsForward().total()
                + s.combineForward().total();
    }

    private static int moeBackwardOps(HostSchedule s) {
        return s.routingBackward().total() + s.dispatchBackward().total() + s.expertsBackward().total()
                + s.combineBackward().total();
    }

    private static int forwardOps(HostSchedule s, boolean moeLayer) {
        return s.attentionForward().total() + (moeLayer ? moeForwardOps(s) : s.denseFfnForward().total());
    }

    private static int backwardOps(HostSchedule s, boolean moeLayer) {
        return s.attentionBackward().total() + (moeLayer ? moeBackwardOps(s) : s.denseFfnBackward().total());
    }

    @Test
    void fp8CurrentScalingWithSixteenExpertsPerRank() {
        HostSchedule s = schedule(8, PrecisionRecipe.FP8_TENSORWISE);
        // q = 3 (amax, scale, cast), E = 128 / 8 = 16.
        // attention: 10 operations + 2*3 quantize kernels forward, 13 + 2*3 backward.
        assertThat(s.attentionForward()).isEqualTo(new HostSchedule.Issue(10, 6));
        assertThat(s.attentionBackward()).isEqualTo(new HostSchedule.Issue(13, 6));
        // Routing: router 8 + metadata 9 + copies 7 = 24 forward, router 6 backward.
        assertThat(s.routingForward()).isEqualTo(new HostSchedule.Issue(24, 0));
        assertThat(s.routingBackward()).isEqualTo(new HostSchedule.Issue(6, 0));
        // Exchange 9 forward (5 dispatch side, 4 combine side), 7 backward (4 and 3).
        assertThat(s.dispatchForward().ops() + s.combineForward().ops()).isEqualTo(9);
        assertThat(s.dispatchBackward().ops() + s.combineBackward().ops()).isEqualTo(7);
        // Experts: activation 2 + the two GroupedLinear calls; 2*16*(1+3) = 128 loop kernels forward
        // (a quantize of three kernels and a GEMM per expert and GEMM), 2*16*(2+3) = 160 backward.
        assertThat(s.expertsForward()).isEqualTo(new HostSchedule.Issue(4, 128));
        assertThat(s.expertsBackward()).isEqualTo(new HostSchedule.Issue(4, 160));
        assertThat(moeForwardOps(s)).isEqualTo(24 + 9 + 132);
        assertThat(moeBackwardOps(s)).isEqualTo(6 + 7 + 164);
        // Dense FFN: 2 module calls + activation, 2*3 quantize kernels; backward 5 operations.
        assertThat(s.denseFfnForward()).isEqualTo(new HostSchedule.Issue(3, 6));
        assertThat(s.denseFfnBackward()).isEqualTo(new HostSchedule.Issue(5, 6));
        assertThat(forwardOps(s, true)).isEqualTo(16 + 165);
        assertThat(backwardOps(s, false)).isEqualTo(19 + 11);
    }

    @Test
    void bf16QuantizesNothingAndFewerExpertsPerRankIssueLess() {
        HostSchedule s = schedule(16, PrecisionRecipe.BF16);
        // q = 0, E = 8: forward 24 + 9 + 4 + 2*8 = 53, backward 6 + 7 + 4 + 2*8*2 = 49, attention 10 and 13.
        assertThat(moeForwardOps(s)).isEqualTo(53);
        assertThat(moeBackwardOps(s)).isEqualTo(49);
        assertThat(forwardOps(s, true)).isEqualTo(63);
        assertThat(backwardOps(s, true)).isEqualTo(62);
    }

    @Test
    void blockwiseAndMxRecipesQuantizeInOneKernel() {
        assertThat(HostSchedule.quantizeKernels(PrecisionRecipe.MXFP8)).isEqualTo(1);
        assertThat(HostSchedule.quantizeKernels(PrecisionRecipe.FP8_BLOCKWISE)).isEqualTo(1);
        // E = 16, q = 1: forward 24 + 9 + 4 + 2*16*2 = 101.
        assertThat(moeForwardOps(schedule(8, PrecisionRecipe.MXFP8))).isEqualTo(101);
    }
}
