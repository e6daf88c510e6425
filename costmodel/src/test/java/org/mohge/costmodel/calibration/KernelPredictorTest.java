package org.mohge.costmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.ToyCostModel;

/** What the cost model predicts for a measured kernel, on the toy GPU (1 TFLOP/s, 1 GB/s), by hand. */
class KernelPredictorTest {
    private static Measurement measured(String kernel, String dtype, Object... shape) {
        return new Measurement("toy", "cpu", kernel, dtype, Measurement.shape(shape), 3, 100, 90, 0);
    }

    @Test
    void aGemmIsPricedAsOneGemm() {
        Measurement m = measured("gemm_fp32_own", "fp32", "m", 128, "n", 256, "k", 64);
        assertThat(KernelPredictor.predictUs(new ToyCostModel(), m)).isCloseTo(2.0 * 128 * 256 * 64 / 1e6,
                within(1e-9));
    }

    @Test
    void anExpertFfnIsItsExpertsGateUpAndDownPlusTheActivation() {
        // 2 experts x 16 tokens, hidden 32, width 8, fp32: 6 x 32 tokens x 32 x 8 FLOPs; the
        // activation moves 3 x 32 tokens x 32 values x 4 bytes.
        Measurement m = measured("expert_ffn", "fp32", "tokensPerExpert", 16, "expertHidden", 32, "modelHidden", 8,
                "experts", 2);
        double expected = 6.0 * 32 * 32 * 8 / 1e6 + 3.0 * 32 * 32 * 4 / 1e3;
        assertThat(KernelPredictor.predictUs(new ToyCostModel(), m)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void kernelsItCannotPriceAreSaidSo() {
        Measurement m = measured("layer_router", "fp32", "tokens", 16);
        assertThat(KernelPredictor.supports(m)).isFalse();
        assertThatThrownBy(() -> KernelPredictor.predictUs(new ToyCostModel(), m))
                .hasMessage("no prediction for kernel layer_router");
    }
}
