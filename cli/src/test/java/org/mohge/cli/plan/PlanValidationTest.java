package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** Bad sweep files fail before any point runs, with one line on stderr and exit code 2. */
class PlanValidationTest {
    private static final String TARGET = "{\"minTokensPerSecond\": 1000}";
    private static final String PRICES = "{\"h100-sxm\": 2.5, \"b200\": 5.5}";

    @TempDir
    Path dir;

    private CliRunner plan(Path sweep) {
        return CliRunner.run("plan", sweep.toString(), "--out", dir.resolve("out").toString());
    }

    private static void assertOneLineUsageError(CliRunner r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(expected);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownGpuOnTheAxis() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"gpu\": [\"h100-sxm\", \"h900\"]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep), sweep + ": axes.gpu[1] must be one of ");
        assertThat(plan(sweep).err()).contains("got 'h900'");
    }

    @Test
    void missingPriceForAGpuOnTheAxis() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"gpu\": [\"h100-sxm\", \"h200-sxm\"]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep),
                "pricePerGpuHour must give a price for every GPU on the gpu axis; missing 'h200-sxm' (axes.gpu[1])");
    }

    @Test
    void missingPriceForTheBaseGpuWhenTheGpuAxisIsAbsent() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"nodes\": [1, 2]}", TARGET, "{\"b200\": 5.5}");
        assertOneLineUsageError(plan(sweep), "pricePerGpuHour must give a price for the base scenario's GPU "
                + "'h100-sxm'");
    }

    @Test
    void targetWithNeitherThroughputNorStepTime() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{}", "{\"minMemoryHeadroomPct\": 10}", PRICES);
        assertOneLineUsageError(plan(sweep), "target.minTokensPerSecond or maxStepTimeMs is required");
    }

    @Test
    void targetWithBothThroughputAndStepTime() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{}", "{\"minTokensPerSecond\": 1, \"maxStepTimeMs\": 5}", PRICES);
        assertOneLineUsageError(plan(sweep), "target.maxStepTimeMs must not be given together with "
                + "minTokensPerSecond");
    }

    @Test
    void headroomOutOfRange() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{}", "{\"maxStepTimeMs\": 5, \"minMemoryHeadroomPct\": 120}", PRICES);
        assertOneLineUsageError(plan(sweep), "target.minMemoryHeadroomPct must be in [0, 100), got 120.0");
    }

    @Test
    void negativePriceAndUnknownPriceKey() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{}", TARGET, "{\"h100-sxm\": -1}");
        assertOneLineUsageError(plan(sweep), "pricePerGpuHour.h100-sxm must be > 0");
        sweep = PlanFixtures.sweep(dir, "{}", TARGET, "{\"h100-sxm\": 1, \"tpu\": 1}");
        assertOneLineUsageError(plan(sweep), "pricePerGpuHour.tpu names no known GPU");
    }

    @Test
    void optaplannerIsRefusedBecauseItStopsOnWallClockTime() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"placement\": [\"greedy\", \"optaplanner\"]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep), "axes.placement[1] must not be 'optaplanner'");
    }

    @Test
    void repeatedAxisValueAndUnknownKey() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"nodes\": [1, 1]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep), "axes.nodes[1] repeats an earlier value (1)");
        sweep = PlanFixtures.sweep(dir, "{\"gpus\": [8]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep), "axes.gpus is not a known key");
    }

    @Test
    void aGroupBiasPastTheRoutersLimitIsRefusedBeforeWork() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"groupBias\": [1, 60]}", TARGET, PRICES);
        assertOneLineUsageError(plan(sweep), "axes.groupBias[1] must be at most 50.0 (the router's softmax saturates "
                + "there, so larger values change nothing), got 60.0");
    }

    @Test
    void unknownEngineIsAUsageError() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{}", TARGET, PRICES);
        CliRunner r = CliRunner.run("plan", sweep.toString(), "--engine", "mpi");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--engine must be 'local' or 'spark', got 'mpi'");
    }
}
