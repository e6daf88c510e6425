package org.mohge.costmodel.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mohge.costmodel.hardware.GpuCatalog;

/**
 * Every shipped profile re-predicts each published figure it lists (printed with its error) with a
 * median error of at most 10% and none over 25% (issue 14), and its parameters are the fit of
 * those figures: refitting from the prior gives them back.
 */
class PublishedProfilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"h100-sxm", "h200-sxm", "h800", "b200"})
    void reproducesEveryListedMeasurement(String gpu) {
        GpuProfile profile = GpuProfiles.find(gpu).orElseThrow();
        assertEquals(gpu, profile.gpu());
        GpuCatalog.get(gpu);
        double worst = 0;
        for (PublishedMeasurement m : profile.measurements()) {
            double predicted = MeasurementPredictor.predict(profile.params(), m);
            double error = (predicted / m.value() - 1) * 100;
            worst = Math.max(worst, Math.abs(error));
            System.out.printf(Locale.ROOT, "%-9s %-19s %-8s published %9.2f %-6s predicted %9.2f  error %+6.1f%%  %s%n",
                    gpu, m.kind(), m.gpu(), m.value(), m.unit(), predicted, error, m.figure());
        }
        double median = profile.medianAbsErrorPct();
        System.out.printf(Locale.ROOT, "%s: %d measurements, median |error| %.1f%%, worst %.1f%%%n", gpu,
                profile.measurements().size(), median, worst);
        assertTrue(median <= 10, gpu + " median error " + median);
        assertTrue(worst <= 25, gpu + " worst error " + worst);
    }

    /**
     * The unfitted checks (OpenXLA's measured bf16 GEMM table for sm_90 in the H100 profile, one
     * sm_100 entry in the B200 profile) are
     * re-predicted and printed with their errors; they bound nothing (the fit never saw them),
     * but each must be a measurement on this profile's GPU that the model prices.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-sxm", "h200-sxm", "h800", "b200"})
    void unfittedChecksArePredictedAndPrinted(String gpu) {
        GpuProfile profile = GpuProfiles.find(gpu).orElseThrow();
        for (PublishedMeasurement m : profile.checks()) {
            assertEquals(gpu, m.gpu(), "a check is measured on the profile's own GPU");
            double predicted = MeasurementPredictor.predict(profile.params(), m);
            assertTrue(predicted > 0 && Double.isFinite(predicted), m.figure());
            System.out.printf(Locale.ROOT, "%-9s check %-13s published %9.2f %-6s predicted %9.2f  error %+6.1f%%  %s%n",
                    gpu, m.kind(), m.value(), m.unit(), predicted, (predicted / m.value() - 1) * 100, m.figure());
        }
        double[] errors = profile.checkAbsErrorsPct();
        if (errors.length > 0) {
            double[] sorted = errors.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%s: %d unfitted checks, median |error| %.1f%%, worst %.1f%%%n", gpu,
                    errors.length, profile.checkMedianAbsErrorPct(), sorted[sorted.length - 1]);
        }
        // h100-sxm: OpenXLA's 125 sm_90 b = 1 bf16 entries; b200: the one sm_100 entry left out of its fit.
        int expected = switch (gpu) {
            case "h100-sxm" -> 125;
            case "b200" -> 1;
            default -> 0;
        };
        assertEquals(expected, errors.length, gpu + " unfitted checks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-sxm", "h200-sxm", "h800", "b200"})
    void shippedParametersAreTheFitOfTheListedMeasurements(String gpu) {
        GpuProfile shipped = GpuProfiles.find(gpu).orElseThrow();
        Optional<GpuProfile> prior = shipped.prior() == null ? Optional.empty() : GpuProfiles.find(shipped.prior());
        double[] refit = GpuProfiles.refit(shipped, prior).params().toArray();
        double[] params = shipped.params().toArray();
        for (int i = 0; i < params.length; i++) {
            assertEquals(params[i], refit[i], Math.abs(params[i]) * 1e-3, gpu + " parameter " + i);
        }
    }
}
