package org.mohge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

class CalibrateValidateCommandTest {
    private static final Path SMALL = Path.of("..", "scenarios", "examples", "validate-mohge-small.json");

    @TempDir
    Path dir;

    @Test
    void calibrateThenValidateOnTheCpu() throws Exception {
        Path profile = dir.resolve("cpu.json");
        CliRunner cal = CliRunner.run("calibrate", "--backend", "cpu", "--quick", "--out", profile.toString());
        assertThat(cal.exitCode()).as(cal.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(profile.toFile());
        assertThat(json.get("backend").asText()).isEqualTo("cpu");
        assertThat(json.get("measurements").size()).isEqualTo(36);
        assertThat(json.at("/fit/rSquaredLog").asDouble()).isBetween(0.0, 1.0);

        CliRunner val = CliRunner.run("validate", SMALL.toString(), "--backend", "cpu", "--calibration",
                profile.toString(), "--tokens", "512", "--repeats", "2", "--json");
        assertThat(val.exitCode()).as(val.err()).isZero();
        JsonNode v = new ObjectMapper().readTree(val.out());
        for (String key : new String[] {"medianAbsErrorPct", "maxAbsErrorPct", "predictedImbalance", "measuredImbalance"}) {
            assertThat(v.get(key).isNumber()).as(key).isTrue();
        }
        assertThat(v.get("partitions").size()).isEqualTo(4);
        assertThat(v.get("costModel").asText()).startsWith("calibrated from cpu.json");

        // A scenario that names the profile prices with it.
        String scenario = Files.readString(SMALL).replace("\"seed\": 7,", "\"seed\": 7, \"calibration\": \""
                + profile.toAbsolutePath() + "\",");
        Path withProfile = dir.resolve("s.json");
        Files.writeString(withProfile, scenario);
        CliRunner cost = CliRunner.run("cost", withProfile.toString());
        assertThat(cost.exitCode()).as(cost.err()).isZero();
        assertThat(cost.out()).contains("cost model: calibrated from cpu.json");
    }

    @Test
    void cpuValidationWithoutAProfileSaysHowToMakeOne() {
        CliRunner val = CliRunner.run("validate", SMALL.toString(), "--backend", "cpu");
        assertThat(val.exitCode()).isEqualTo(2);
        assertThat(val.err().lines()).hasSize(1);
        assertThat(val.err()).contains("needs a CPU calibration profile: run `mohge calibrate --backend cpu");
    }

    @Test
    void aScenarioGivenAsTheCalibrationProfileIsNamedAsSuch() {
        CliRunner val = CliRunner.run("validate", SMALL.toString(), "--backend", "cpu", "--calibration",
                SMALL.toString());
        assertThat(val.exitCode()).isEqualTo(2);
        assertThat(val.err()).isEqualTo(SMALL + ": is a scenario, not a calibration profile (one has device, backend "
                + "and gemm; write one with mohge calibrate --out FILE)" + System.lineSeparator());
    }

    @Test
    void demandedCudaFailsCleanlyWithoutAGpu() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.mohge.gpu.api.Backends.cudaUnavailableReason() != null,
                "a GPU is present");
        CliRunner val = CliRunner.run("validate", SMALL.toString(), "--backend", "cuda");
        assertThat(val.exitCode()).isEqualTo(2);
        assertThat(val.err()).contains("--backend cuda: CUDA unavailable");
    }

    @Test
    void validateRefusesRepeatsBelowOne() {
        for (String repeats : new String[] {"0", "-3"}) {
            CliRunner r = CliRunner.run("validate", "../scenarios/examples/validate-mohge-small.json", "--backend", "cpu",
                    "--repeats", repeats);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("--repeats must be >= 1, got " + repeats
                    + " (see 'mohge validate --help')");
        }
    }
}
