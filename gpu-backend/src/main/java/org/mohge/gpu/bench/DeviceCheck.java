package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerRun;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.LayerWeightsIo;
import org.mohge.gpu.api.RoutingComparison;
import org.mohge.gpu.cpu.CpuLayerBackend;
import org.mohge.gpu.cuda.CudaLayerBackend;
import org.mohge.gpu.cuda.CudaUnavailableException;

/**
 * The Java half of {@code device/check.sh}: {@code DeviceCheck OUT_DIR [--dry-run]}.
 * <ol>
 *   <li>opens CUDA (loads the fatbin/PTX) — exit 3 with {@code CUDA unavailable: reason} if it cannot;</li>
 *   <li>correctness: CUDA vs the CPU reference on a uniform, a heterogeneous (GELU) and a grouped layer
 *       → {@code correctness.json} (max relative error, tokens routed differently);</li>
 *   <li>{@code gemm.json} and {@code layer.json}: the GPU benchmark sweeps;</li>
 *   <li>{@code compare_input.safetensors}: the benchmark layer's weights, an input batch and our CUDA
 *       output, plus {@code ours.json} (our forward-pass time on it) for {@code torch_compare.py}.</li>
 * </ol>
 * {@code --dry-run} skips CUDA: it runs steps 2-4 on the CPU backend at small sizes, so the script and
 * the Python side can be exercised on a machine without a GPU. Exit code 0 only if everything passed.
 */
public final class DeviceCheck {
    static final double TOLERANCE = 2e-2;
    /** Logit gaps below this count as ties (fp32 sums in another order differ by ~1e-6 at d = 1024). */
    static final double TIE_LOGIT_GAP = 1e-4;

    private DeviceCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DeviceCheck OUT_DIR [--dry-run]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        boolean dry = args.length > 1 && args[1].equals("--dry-run");
        System.exit(run(out, dry, System.out, System.err));
    }

    static int run(Path out, boolean dry, PrintStream log, PrintStream err) throws IOException {
        LayerBackend backend;
        if (dry) {
            backend = new CpuLayerBackend();
            log.println("dry run: CPU backend " + backend.deviceName());
        } else {
            try {
                CudaLayerBackend cuda = CudaLayerBackend.open();
                log.println("CUDA device " + cuda.deviceName() + ", kernels from " + cuda.moduleSource());
                backend = cuda;
            } catch (CudaUnavailableException e) {
                err.println(e.getMessage());
                BenchMain.writeAtomically(out.resolve("status.txt"), e.getMessage() + "\n");
                return 3;
            }
        }
        boolean ok;
        try (LayerBackend b = backend; CpuLayerBackend cpu = new CpuLayerBackend()) {
            long t0 = System.nanoTime();
            ok = correctness(b, cpu, out, dry, log);
            log.printf(Locale.ROOT, "correctness %s (%.1f s)%n", ok ? "PASS" : "FAIL", (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            List<Measurement> gemm = GemmBenchmark.run(b, dry ? BenchMain.gemmSweep(false, true) : GemmBenchmark.Sweep.gpuDefault());
            BenchMain.writeAtomically(out.resolve("gemm.json"), MeasurementJson.toJson(gemm));
            log.print(MeasurementJson.toTable(gemm));
            log.printf(Locale.ROOT, "gemm sweep done (%.1f s)%n", (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            LayerBenchmark.Sweep sweep = dry ? BenchMain.layerSweep(false, true) : LayerBenchmark.Sweep.gpuDefault();
            List<Measurement> layer = LayerBenchmark.run(b, sweep);
            BenchMain.writeAtomically(out.resolve("layer.json"), MeasurementJson.toJson(layer));
            log.print(MeasurementJson.toTable(layer));
            log.printf(Locale.ROOT, "layer sweep done (%.1f s)%n", (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            writeComparisonInput(b, sweep, out, dry);
            log.printf(Locale.ROOT, "comparison input written (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        }
        BenchMain.writeAtomically(out.resolve("status.txt"), ok ? "PASS\n" : "FAIL: CUDA differs from the CPU reference\n");
        return ok ? 0 : 1;
    }

    static List<MoeLayerSpec> correctnessLayers() {
        return List.of(
                new UniformMoe(16, 704, 2, 1, 704, Activation.SWIGLU),
                new HeterogeneousMoe(List.of(256, 512, 1024, 768, 256, 1536, 512, 128), 2, 0, 0, Activation.GELU),
                new GroupedMoe(List.of(new ExpertGroup(256, 8), new ExpertGroup(512, 8), new ExpertGroup(1032, 4)), 2, 2, 1,
                        512, Activation.SWIGLU));
    }

    private static boolean correctness(LayerBackend b, CpuLayerBackend cpu, Path out, boolean dry, PrintStream log)
            throws IOException {
        int d = dry ? 64 : 1024;
        int tokens = dry ? 64 : 1536;
        boolean ok = true;
        StringBuilder json = new StringBuilder("[\n");
        List<MoeLayerSpec> layers = correctnessLayers();
        for (int i = 0; i < layers.size(); i++) {
            MoeLayerSpec spec = layers.get(i);
            LayerWeights w = LayerWeights.random(spec, d, 100 + i);
            FloatMatrix x = LayerWeights.randomTokens(tokens, d, 200 + i);
            LayerRun got;
            LayerRun ref;
            try (ExecutableLayer gl = b.load(w); ExecutableLayer cl = cpu.load(w)) {
                got = gl.forward(x);
                ref = cl.forward(x);
            }
            double rel = got.output().maxRelDiff(ref.output());
            RoutingComparison routing = RoutingComparison.compare(w, x, ref.routing(), got.routing(), TIE_LOGIT_GAP);
            int mismatched = routing.routedDifferently();
            boolean pass = rel <= TOLERANCE && routing.unexcused() == 0;
            ok &= pass;
            log.printf(Locale.ROOT, "  %-13s d=%d T=%d max rel err %.3e, tokens routed differently %d: %s%n", spec.kind(), d,
                    tokens, rel, mismatched, pass ? "ok" : "FAIL");
            json.append(String.format(Locale.ROOT,
                    "  {\"kind\": \"%s\", \"modelHidden\": %d, \"tokens\": %d, \"maxRelErr\": %s, \"tolerance\": %s, "
                            + "\"tokensRoutedDifferently\": %d, \"excusedAsNearTies\": %d, \"pass\": %b}%s%n",
                    spec.kind(), d, tokens, MeasurementJson.num(rel), MeasurementJson.num(TOLERANCE), mismatched,
                    routing.excusedAsTies(), pass,
                    i < layers.size() - 1 ? "," : ""));
        }
        json.append("]\n");
        BenchMain.writeAtomically(out.resolve("correctness.json"), json.toString());
        return ok;
    }

    /** The benchmark layer, an input at the largest benchmarked batch and our output, for torch_compare.py. */
    private static void writeComparisonInput(LayerBackend b, LayerBenchmark.Sweep sweep, Path out, boolean dry)
            throws IOException {
        int tokens = sweep.tokens().get(sweep.tokens().size() - 1);
        LayerWeights w = LayerWeights.random(sweep.spec(), sweep.modelHidden(), sweep.seed());
        FloatMatrix x = LayerWeights.randomTokens(tokens, sweep.modelHidden(), 777);
        LayerRun run;
        double[] times = new double[dry ? 2 : 10];
        try (ExecutableLayer layer = b.load(w)) {
            layer.forward(x);
            run = layer.forward(x);
            for (int i = 0; i < times.length; i++) {
                times[i] = layer.forward(x).timings().totalUs();
            }
        }
        Map<String, FloatMatrix> extra = new LinkedHashMap<>();
        extra.put("x", x);
        extra.put("y_ours", run.output());
        float[] experts = new float[run.routing().experts().length];
        for (int i = 0; i < experts.length; i++) {
            experts[i] = run.routing().experts()[i];
        }
        extra.put("routing.experts", new FloatMatrix(tokens, run.routing().expertsPerToken(), experts));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("spec", describe(sweep.spec()));
        meta.put("backend", b.name());
        LayerWeightsIo.write(out.resolve("compare_input.safetensors"), w, extra, meta);
        List<Double> sorted = new ArrayList<>();
        for (double t : times) {
            sorted.add(t);
        }
        sorted.sort(Double::compare);
        BenchMain.writeAtomically(out.resolve("ours.json"), String.format(Locale.ROOT,
                "{\"backend\": \"%s\", \"device\": %s, \"tokens\": %d, \"medianUs\": %s, \"minUs\": %s}%n", b.name(),
                MeasurementJson.quote(b.deviceName()), tokens, MeasurementJson.num(Timing.median(times)),
                MeasurementJson.num(sorted.get(0))));
    }

    /**
     * The layer as the Python side needs it, e.g. {@code grouped;swiglu;groups=512x16,1024x16;top=2x2;shared=1x1024}
     * or {@code flat;gelu;experts=256,512;top=2;shared=0x0}.
     */
    static String describe(MoeLayerSpec spec) {
        StringBuilder sb = new StringBuilder();
        if (spec instanceof GroupedMoe g) {
            sb.append("grouped;").append(g.activation().label()).append(";groups=");
            for (int i = 0; i < g.groups().size(); i++) {
                sb.append(i > 0 ? "," : "").append(g.groups().get(i).expertHidden()).append('x')
                        .append(g.groups().get(i).experts());
            }
            sb.append(";top=").append(g.topGroups()).append('x').append(g.topExpertsPerGroup());
        } else {
            sb.append("flat;").append(spec.activation().label()).append(";experts=");
            var shapes = spec.expertShapes();
            for (int i = 0; i < shapes.size(); i++) {
                sb.append(i > 0 ? "," : "").append(shapes.get(i).hidden());
            }
            sb.append(";top=").append(spec.routedExpertsPerToken());
        }
        sb.append(";shared=").append(spec.sharedExperts()).append('x').append(spec.sharedExpertHidden());
        return sb.toString();
    }
}
