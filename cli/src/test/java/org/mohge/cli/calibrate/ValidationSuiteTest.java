package org.mohge.cli.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mohge.gpu.api.Backends;
import org.mohge.gpu.api.LayerBackend;

/**
 * The CPU validation loop of CI: a quick calibration, then 24 layer configurations validated
 * against it. The machine is shared and noisy, so the bound is loose (median of the per-case
 * medians at most 35%); `mohge bench validation --backend cpu` prints the real figure.
 */
/** Judges measured CPU timings, so it runs only under {@code -Pperf} (a loaded machine skews them). */
@Tag("perf")
class ValidationSuiteTest {
    @Test
    void cpuSuiteStaysWithinTheLooseBound() {
        ValidationSuite.Result result;
        try (LayerBackend cpu = Backends.open("cpu", System.err)) {
            result = ValidationSuite.run(cpu, true, line -> { });
        }
        assertThat(result.cases()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(result.cases().stream().map(c -> c.name().split("-")[0]).distinct())
                .containsExactlyInAnyOrder("uniform", "heterogeneous", "grouped");
        for (ValidationSuite.Case c : result.cases()) {
            int activations = c.result().partitions().stream().mapToInt(PartitionCheck::activations).sum();
            assertThat(activations).as(c.name()).isPositive();
            assertThat(c.result().partitions()).allSatisfy(p -> assertThat(p.measuredUs()).isPositive());
        }
        System.out.printf(Locale.ROOT, "CPU validation suite: %d cases, median of medians %.1f%%, worst partition %.1f%%%n",
                result.cases().size(), result.medianAbsErrorPct(), result.maxAbsErrorPct());
        assertThat(result.medianAbsErrorPct()).isLessThanOrEqualTo(35.0);
    }
}
