package org.mohge.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** A profile shipped for a GPU (resource /calibration/<gpu>.json) is the default for that GPU's scenarios. */
class CostModelsTest {
    private static final String SCENARIO = """
            {"name": "x", "seed": 1, %s
             "model": {"hiddenSize": 256, "layers": 2, "vocabSize": 100,
                       "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 64},
                       "moe": {"type": "uniform", "experts": 8, "expertHidden": 128, "topK": 2}},
             "cluster": {"gpu": {"name": "%s", "bf16Tflops": 900, "fp16Tflops": 900, "hbmGBps": 3000, "hbmGiB": 80,
                                 "smCount": 132, "l2MiB": 50, "nvlinkGBps": 450, "nicGBps": 50},
                         "nodes": 1, "gpusPerNode": 2},
             "workload": {"kind": "inference", "tokensPerStep": 1024, "sequenceLength": 256}}
            """;

    @TempDir
    Path dir;

    private String costModelLine(String gpu, String calibration) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, SCENARIO.formatted(calibration, gpu));
        CliRunner r = CliRunner.run("cost", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.startsWith("cost model:")).findFirst().orElseThrow();
    }

    @Test
    void shippedProfileIsTheDefaultForItsGpu() throws Exception {
        assertThat(costModelLine("test-gpu", "")).startsWith(
                "cost model: calibrated from the shipped profile calibration/test-gpu.json (cuda on test device, "
                        + "held-out median error 3.0%)");
    }

    @Test
    void otherGpusAndAnExplicitAnalyticalChoiceUseTheAnalyticalModel() throws Exception {
        assertThat(costModelLine("other-gpu", "")).startsWith("cost model: analytical roofline (uncalibrated)");
        assertThat(costModelLine("test-gpu", "\"calibration\": \"analytical\","))
                .startsWith("cost model: analytical roofline (uncalibrated)");
    }
}
