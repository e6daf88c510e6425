package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerRun;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.Routing;
import org.mohge.gpu.api.StageTimings;

/**
 * {@code mohge bench layer}: whole forward passes of one layer at several batch sizes. For each
 * token count it records {@code layer_forward} (total) and one measurement per stage, each with the
 * median and minimum over the repeats, and the FLOPs of the routing actually taken.
 */
public final class LayerBenchmark {

    public record Sweep(MoeLayerSpec spec, int modelHidden, List<Integer> tokens, int warmups, int repeats, long seed) {
        public Sweep {
            tokens = List.copyOf(tokens);
            if (repeats <= 0 || warmups < 0) {
                throw new IllegalArgumentException("repeats must be > 0, warmups >= 0");
            }
        }

        /** A small MoHGE layer (3 groups, widths 128/256/512, d = 512) at 64..1024 tokens: CPU-sized. */
        public static Sweep cpuDefault() {
            return new Sweep(smallMohge(), 512, List.of(64, 256, 1024), 1, 3, 42);
        }

        /** A MoHGE layer sized like a mid-size model (d = 2048, widths 512/1024/2048) at up to 16k tokens. */
        public static Sweep gpuDefault() {
            GroupedMoe spec = new GroupedMoe(List.of(new ExpertGroup(512, 16), new ExpertGroup(1024, 16),
                    new ExpertGroup(2048, 8)), 2, 2, 1, 1024, Activation.SWIGLU);
            return new Sweep(spec, 2048, List.of(1024, 4096, 16384), 3, 10, 42);
        }
    }

    static GroupedMoe smallMohge() {
        return new GroupedMoe(List.of(new ExpertGroup(128, 8), new ExpertGroup(256, 8), new ExpertGroup(512, 4)), 2, 2, 1,
                256, Activation.SWIGLU);
    }

    private LayerBenchmark() {
    }

    public static List<Measurement> run(LayerBackend backend, Sweep sweep) {
        LayerWeights weights = LayerWeights.random(sweep.spec(), sweep.modelHidden(), sweep.seed());
        List<Measurement> out = new ArrayList<>();
        try (ExecutableLayer layer = backend.load(weights)) {
            for (int t : sweep.tokens()) {
                out.addAll(measure(backend, layer, t, sweep));
            }
        }
        return out;
    }

    private static List<Measurement> measure(LayerBackend backend, ExecutableLayer layer, int t, Sweep sweep) {
        FloatMatrix x = LayerWeights.randomTokens(t, sweep.modelHidden(), sweep.seed() + t);
        for (int i = 0; i < sweep.warmups(); i++) {
            layer.forward(x);
        }
        int r = sweep.repeats();
        double[][] stages = new double[6][r];
        LayerRun last = null;
        for (int i = 0; i < r; i++) {
            last = layer.forward(x);
            StageTimings s = last.timings();
            stages[0][i] = s.totalUs();
            stages[1][i] = s.routerUs();
            stages[2][i] = s.permutationUs();
            stages[3][i] = s.expertsUs();
            stages[4][i] = s.sharedUs();
            stages[5][i] = s.combineUs();
        }
        MoeLayerSpec spec = sweep.spec();
        int d = sweep.modelHidden();
        double routerFlops = 2.0 * t * d * (spec.expertCount() + LayerWeights.groupCount(spec));
        double expertFlops = routedFlops(spec, d, last.routing());
        double sharedFlops = 2.0 * t * spec.activation().matrices() * d * (double) spec.sharedExpertHidden()
                * spec.sharedExperts();
        String[] names = {"layer_forward", "layer_router", "layer_permutation", "layer_experts", "layer_shared",
            "layer_combine"};
        double[] flops = {routerFlops + expertFlops + sharedFlops, routerFlops, 0, expertFlops, sharedFlops, 0};
        List<Measurement> out = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            double min = java.util.Arrays.stream(stages[k]).min().orElseThrow();
            out.add(new Measurement(backend.deviceName(), backend.name(), names[k], backend.dtype(),
                    Measurement.shape("tokens", t, "modelHidden", d, "experts", spec.expertCount(), "expertsPerToken",
                            spec.routedExpertsPerToken()),
                    r, Timing.median(stages[k]), min, flops[k]));
        }
        return out;
    }

    /** FLOPs of the routed experts for the routing taken: each activation costs {@code 2 * matrices * d * W_e}. */
    public static double routedFlops(MoeLayerSpec spec, int d, Routing routing) {
        var shapes = spec.expertShapes();
        double f = 0;
        for (int e : routing.experts()) {
            f += 2.0 * spec.activation().matrices() * d * shapes.get(e).hidden();
        }
        return f;
    }
}
