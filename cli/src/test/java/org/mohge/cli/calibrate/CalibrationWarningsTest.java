package org.mohge.cli.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.calibration.FitQuality;
import org.mohge.costmodel.calibration.GemmEfficiencyModel;

class CalibrationWarningsTest {
    private static CalibrationProfile cpu(double bandwidthGBps, double heldOutPct) {
        return new CalibrationProfile("cpu (2 threads)", "cpu", "fp32",
                new GemmEfficiencyModel(0.02, 8, 16, 16, bandwidthGBps, 5, 5),
                new FitQuality(48, 0.99, 3, heldOutPct, 2 * heldOutPct, 5), List.of());
    }

    @Test
    void aGoodFitOnPlausibleBandwidthHasNoWarning() {
        assertThat(CalibrationWarnings.of(cpu(40, 3.9), 2)).isEmpty();
    }

    @Test
    void heldOutErrorOverFifteenPercentIsAPoorFit() {
        assertThat(CalibrationWarnings.of(cpu(40, 18.2), 2)).singleElement().asString()
                .startsWith("held-out median error 18.2% is over 15%");
    }

    @Test
    void aTwoCoreCpuCannotStreamATerabytePerSecond() {
        // 2 threads x 100 GB/s = 200 GB/s at most; the 1077 GB/s a loaded run once fitted is flagged.
        assertThat(CalibrationWarnings.of(cpu(1077, 3.9), 2)).singleElement().asString()
                .startsWith("fitted bandwidth 1077 GB/s is above what this CPU (2 threads) can stream (about 200 GB/s");
        assertThat(CalibrationWarnings.of(cpu(150, 3.9), 2)).isEmpty();
    }
}
