package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.LayerWeightsIo;
import org.mohge.gpu.api.Safetensors;
import org.mohge.gpu.cpu.CpuLayerBackend;

class BenchTest {

    @Test
    void medianAndMin() {
        assertThat(Timing.median(new double[] {5, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Timing.median(new double[] {5, 1, 3})).isEqualTo(3);
        double[] values = {4, 2, 9};
        int[] i = {0};
        Timing t = Timing.of(0, 3, () -> values[i[0]++]);
        assertThat(t.medianUs()).isEqualTo(4);
        assertThat(t.minUs()).isEqualTo(2);
    }

    @Test
    void measurementJsonByHand() {
        // 2e6 FLOPs in 1000 us = 2 GFLOP/s.
        Measurement m = new Measurement("cpu \"x\"", "cpu", "expert_ffn", "fp32", Measurement.shape("m", 4, "n", 8), 3,
                1000, 900.5, 2e6);
        assertThat(m.gflops()).isEqualTo(2.0);
        assertThat(MeasurementJson.toJson(List.of(m))).isEqualTo("[\n  {\"device\": \"cpu \\\"x\\\"\", \"backend\": \"cpu\", "
                + "\"kernel\": \"expert_ffn\", \"dtype\": \"fp32\", \"shape\": {\"m\": 4, \"n\": 8}, \"repeats\": 3, "
                + "\"medianUs\": 1000, \"minUs\": 900.5, \"flops\": 2e+06, \"gflops\": 2}\n]\n");
    }

    @Test
    void gemmSweepCountsFlopsOfEveryExpert() {
        try (CpuLayerBackend cpu = new CpuLayerBackend(2)) {
            List<Measurement> ms = GemmBenchmark.run(cpu, new GemmBenchmark.Sweep(List.of(4, 16), List.of(24), List.of(32), 3, 0, 1, 1));
            assertThat(ms).hasSize(2);
            // 3 experts x 16 tokens x 2 FLOPs x 3 matrices x 32 x 24.
            assertThat(ms.get(1).flops()).isEqualTo(3.0 * 16 * 2 * 3 * 32 * 24);
            assertThat(ms.get(1).shape()).containsExactly(Map.entry("experts", 3), Map.entry("tokensPerExpert", 16),
                    Map.entry("modelHidden", 32), Map.entry("expertHidden", 24));
            assertThat(ms.get(1).medianUs()).isPositive();
        }
    }

    @Test
    void layerBenchmarkReportsEveryStageAndRoutedFlops() {
        try (CpuLayerBackend cpu = new CpuLayerBackend(2)) {
            GroupedMoe spec = LayerBenchmark.smallMohge();
            List<Measurement> ms = LayerBenchmark.run(cpu, new LayerBenchmark.Sweep(spec, 32, List.of(10), 0, 1, 5));
            assertThat(ms).extracting(Measurement::kernel).containsExactly("layer_forward", "layer_router",
                    "layer_permutation", "layer_experts", "layer_shared", "layer_combine");
            // Router: 2 * 10 tokens * 32 * (20 experts + 3 groups); shared: 2 * 10 * 3 matrices * 32 * 256.
            assertThat(ms.get(1).flops()).isEqualTo(2.0 * 10 * 32 * 23);
            assertThat(ms.get(4).flops()).isEqualTo(2.0 * 10 * 3 * 32 * 256);
            // Each token uses 4 routed experts, each at least 128 wide and at most 512.
            assertThat(ms.get(3).flops()).isBetween(10 * 4 * 6.0 * 32 * 128, 10 * 4 * 6.0 * 32 * 512);
        }
    }

    @Test
    void partitionBenchmarkMeasuresEveryGpuOfThePlacementOnTheGivenRouting() {
        GroupedMoe spec = LayerBenchmark.smallMohge();
        int d = 32;
        // A routing as a simulator would give it: token t uses experts t % 20 and (t + 7) % 20.
        int tokens = 40;
        int[] experts = new int[tokens * 4];
        float[] weights = new float[tokens * 4];
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < 4; s++) {
                experts[t * 4 + s] = (t + 7 * s) % 20;
                weights[t * 4 + s] = 0.25f;
            }
        }
        org.mohge.gpu.api.Routing routing = new org.mohge.gpu.api.Routing(tokens, 4, experts, weights, 0, new int[0]);
        List<org.mohge.costmodel.deploy.ExpertPlacement> list = new java.util.ArrayList<>();
        for (int e = 0; e < 20; e++) {
            list.add(new org.mohge.costmodel.deploy.ExpertPlacement(e,
                    List.of(new org.mohge.costmodel.deploy.ExpertReplica(e < 5 ? 0 : 1, 1.0))));
        }
        var placement = new org.mohge.costmodel.deploy.Placement("split", 2, list);
        try (CpuLayerBackend cpu = new CpuLayerBackend(2); var layer = cpu.load(LayerWeights.random(spec, d, 1))) {
            var ms = PartitionBenchmark.measure(layer, LayerWeights.randomTokens(tokens, d, 2), routing, placement, 0, 2);
            assertThat(ms).extracting(PartitionBenchmark.PartitionMeasurement::gpu).containsExactly(0, 1);
            assertThat(ms).extracting(PartitionBenchmark.PartitionMeasurement::experts).containsExactly(5, 15);
            // For each slot s, t = 0..39 covers every residue (t + 7s) % 20 twice: 8 activations per expert.
            assertThat(ms.get(0).activations()).isEqualTo(5 * 8);
            assertThat(ms.get(1).activations()).isEqualTo(15 * 8);
            assertThat(PartitionBenchmark.asMeasurements(cpu, d, ms)).extracting(Measurement::kernel)
                    .containsOnly("partition_experts");
        }
    }

    @Test
    void benchMainWritesJsonAndRejectsBadUsage(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = dir.resolve("m/gemm.json");
        int rc = BenchMain.run(new String[] {"gemm", "--backend", "cpu", "--quick", "--out", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isZero();
        assertThat(Files.readString(file)).startsWith("[\n  {\"device\"").contains("\"kernel\": \"expert_ffn\"");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("expert_ffn");
        assertThat(BenchMain.run(new String[] {"gemm", "--frobnicate"}, System.out, new PrintStream(err))).isEqualTo(2);
        assertThat(BenchMain.run(new String[] {}, System.out, new PrintStream(err))).isEqualTo(2);
    }

    @Test
    void deviceCheckDryRunWritesEveryFileAndTheComparisonInputRoundTrips(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = DeviceCheck.run(dir, true, new PrintStream(log, true, StandardCharsets.UTF_8), System.err);
        assertThat(rc).as(log.toString(StandardCharsets.UTF_8)).isZero();
        for (String f : new String[] {"correctness.json", "gemm.json", "layer.json", "ours.json", "status.txt",
            "compare_input.safetensors"}) {
            assertThat(dir.resolve(f)).exists();
        }
        LayerBenchmark.Sweep sweep = BenchMain.layerSweep(false, true);
        LayerWeights back = LayerWeightsIo.read(dir.resolve("compare_input.safetensors"), sweep.spec(), sweep.modelHidden());
        LayerWeights expected = LayerWeights.random(sweep.spec(), sweep.modelHidden(), sweep.seed());
        assertThat(back.experts().get(3).up().data()).containsExactly(expected.experts().get(3).up().data());
        assertThat(Safetensors.read(dir.resolve("compare_input.safetensors")).get("y_ours").rows()).isEqualTo(96);
        assertThat(DeviceCheck.describe(sweep.spec())).isEqualTo("grouped;swiglu;groups=128x8,256x8,512x4;top=2x2;shared=1x256");
    }
}
