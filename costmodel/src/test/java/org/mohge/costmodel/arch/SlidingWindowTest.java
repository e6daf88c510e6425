package org.mohge.costmodel.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** GPT-OSS-style alternating attention: window 128, every second layer full. */
class SlidingWindowTest {
    private static final GqaAttention ALTERNATING = new GqaAttention(8, 1, 64, false, 128, 2);

    @Test
    void everySecondLayerAttendsFully() {
        assertThat(ALTERNATING.slides(0)).isTrue();
        assertThat(ALTERNATING.slides(1)).isFalse();
        assertThat(ALTERNATING.slides(2)).isTrue();
        assertThat(new GqaAttention(8, 1, 64, false, 128, 0).slides(1)).isTrue();
        assertThat(new GqaAttention(8, 1, 64).slides(0)).isFalse();
    }

    @Test
    void meanAttendedKeysByHand() {
        // Sequence 4096, window 128: queries 1..128 attend to 1..128 keys (sum 128 x 129 / 2 =
        // 8256), the other 3968 to 128 each (507,904): 516,160 / 4096 = 126.015625.
        assertThat(ALTERNATING.meanKeys(0, 4096)).isCloseTo(126.015625, within(1e-12));
        // A full layer: (4096 + 1) / 2.
        assertThat(ALTERNATING.meanKeys(1, 4096)).isCloseTo(2048.5, within(1e-12));
        // A sequence shorter than the window is plain causal: (100 + 1) / 2.
        assertThat(ALTERNATING.meanKeys(0, 100)).isCloseTo(50.5, within(1e-12));
    }

    @Test
    void trainingFlopsCountEachLayerAtItsOwnContext() {
        // Two layers, the first sliding: its core costs 2 x 8 heads x (64 + 64) = 2048 FLOPs per
        // key less over 2048.5 - 126.015625 = 1922.484375 keys: 3,937,248 FLOPs per token fewer.
        ModelSpec model = new ModelSpec(512, 2, 0, 0, 1000, false, DType.BF16, ALTERNATING,
                new UniformMoe(4, 256, 1, 0, 0, Activation.SWIGLU));
        double full = FlopAccounting.forwardFlopsPerToken(model, 2048.5);
        assertThat(FlopAccounting.trainingForwardFlopsPerToken(model, 4096)).isCloseTo(full - 3_937_248,
                within(1e-6));
    }
}
