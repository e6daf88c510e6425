package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.ExpertTokens;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.PartitionRun;
import org.mohge.gpu.api.PartitionWork;

/**
 * {@code mohge bench gemm}: the grouped expert GEMMs. For every (model hidden d, expert hidden W,
 * tokens per expert n) of the sweep, {@code experts} SwiGLU experts each get n tokens, and the
 * backend runs them as one partition ({@link ExecutableLayer#runPartition}: gather, the gate/up and
 * down GEMMs of every expert, weighted scatter), timed by the backend (wall clock on CPU, CUDA
 * events on CUDA). FLOPs: {@code experts * n * 2 * 3 * d * W}.
 */
public final class GemmBenchmark {

    /** The sweep: every combination of the three lists. */
    public record Sweep(List<Integer> tokensPerExpert, List<Integer> expertHidden, List<Integer> modelHidden, int experts,
                        int warmups, int repeats, long seed) {
        public Sweep {
            tokensPerExpert = List.copyOf(tokensPerExpert);
            expertHidden = List.copyOf(expertHidden);
            modelHidden = List.copyOf(modelHidden);
            if (experts <= 0 || repeats <= 0 || warmups < 0) {
                throw new IllegalArgumentException("experts and repeats must be > 0, warmups >= 0");
            }
        }

        /** A sweep sized for a laptop-class CPU (a minute or so on 2 cores). */
        public static Sweep cpuDefault() {
            return new Sweep(List.of(16, 64, 256), List.of(256, 1024), List.of(512, 1024), 4, 1, 3, 42);
        }

        /** A sweep sized for a data-centre GPU, up to 16k tokens over 8 experts. */
        public static Sweep gpuDefault() {
            return new Sweep(List.of(64, 256, 1024, 2048), List.of(1024, 2048, 4096), List.of(2048, 4096), 8, 3, 10, 42);
        }
    }

    private GemmBenchmark() {
    }

    public static List<Measurement> run(LayerBackend backend, Sweep sweep) {
        List<Measurement> out = new ArrayList<>();
        for (int d : sweep.modelHidden()) {
            for (int w : sweep.expertHidden()) {
                UniformMoe spec = new UniformMoe(sweep.experts(), w, 1, 0, 0, Activation.SWIGLU);
                LayerWeights weights = LayerWeights.random(spec, d, sweep.seed());
                try (ExecutableLayer layer = backend.load(weights)) {
                    for (int n : sweep.tokensPerExpert()) {
                        out.add(measureExperts(backend, layer, d, w, n, sweep));
                    }
                }
            }
        }
        return out;
    }

    private static Measurement measureExperts(LayerBackend backend, ExecutableLayer layer, int d, int w, int n, Sweep sweep) {
        int e = sweep.experts();
        FloatMatrix x = LayerWeights.randomTokens(e * n, d, sweep.seed() + n);
        List<ExpertTokens> list = new ArrayList<>();
        for (int i = 0; i < e; i++) {
            int[] tokens = new int[n];
            float[] weights = new float[n];
            for (int j = 0; j < n; j++) {
                tokens[j] = i * n + j;
                weights[j] = 1f;
            }
            list.add(new ExpertTokens(i, tokens, weights));
        }
        PartitionWork work = new PartitionWork(0, list);
        Timing t = Timing.of(sweep.warmups(), sweep.repeats(), () -> {
            PartitionRun run = layer.runPartition(x, work);
            return run.timeUs();
        });
        double flops = (double) e * n * 2.0 * 3 * d * w;
        return new Measurement(backend.deviceName(), backend.name(), "expert_ffn", backend.dtype(),
                Measurement.shape("experts", e, "tokensPerExpert", n, "modelHidden", d, "expertHidden", w), t.repeats(),
                t.medianUs(), t.minUs(), flops);
    }
}
