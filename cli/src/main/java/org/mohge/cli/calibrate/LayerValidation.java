package org.mohge.cli.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.ExpertTokens;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.PartitionWork;
import org.mohge.sim.routing.RoutingModel;

/**
 * Runs one MoE layer on a backend one GPU partition at a time and compares each partition's
 * measured expert time with the simulator's prediction for the same work.
 *
 * <p>The tokens come from the scenario's routing model (the simulator's own draw for MoE layer 0,
 * step 0, micro-batch 0), split over expert copies by the placement's shares. Each GPU's
 * partition is then executed with exactly that many tokens per local expert (token rows drawn
 * from one random input), timed as the median of {@code repeats} runs after one warm-up, and
 * priced by {@link LayerOps#experts} with the backend's number format, which is what the
 * simulator charges for that GPU's expert stage.
 */
public final class LayerValidation {
    private final LayerBackend backend;
    private final int repeats;

    public LayerValidation(LayerBackend backend, int repeats) {
        this.backend = backend;
        this.repeats = repeats;
    }

    public ValidationResult validate(String scenario, ModelSpec model, Placement placement, RoutingModel routing,
                                     CostModel costModel, int tokens, long seed) {
        int gpus = placement.gpuCount();
        List<ExpertShape> experts = model.moe().expertShapes();
        double[] copies = expertCopies(routing, tokens, gpus, experts.size());
        List<List<HeldCopy>> byGpu = placement.copiesByGpu();
        LayerOps ops = new LayerOps(withDtype(model, backend.dtype()), costModel);

        FloatMatrix x = LayerWeights.randomTokens(tokens, model.hiddenSize(), seed + 1);
        List<PartitionWork> works = new ArrayList<>();
        double[] predicted = new double[gpus];
        for (int g = 0; g < gpus; g++) {
            List<HeldCopy> held = byGpu.get(g);
            double[] t = new double[held.size()];
            int[] h = new int[held.size()];
            List<ExpertTokens> work = new ArrayList<>();
            int next = g;
            for (int i = 0; i < held.size(); i++) {
                HeldCopy copy = held.get(i);
                int n = (int) Math.round(copies[copy.expert()] * copy.share());
                t[i] = n;
                h[i] = experts.get(copy.expert()).hidden();
                if (n > 0) {
                    int[] rows = new int[n];
                    float[] weights = new float[n];
                    for (int j = 0; j < n; j++) {
                        rows[j] = next++ % tokens;
                        weights[j] = 1f;
                    }
                    work.add(new ExpertTokens(copy.expert(), rows, weights));
                }
            }
            predicted[g] = ops.experts(t, h).timeUs();
            works.add(new PartitionWork(g, work));
        }
        List<PartitionCheck> checks = new ArrayList<>();
        try (ExecutableLayer layer = backend.load(LayerWeights.random(model.moe(), model.hiddenSize(), seed))) {
            // One untimed pass over every partition first, so no partition pays for a cold JIT or cache.
            works.stream().filter(w -> !w.experts().isEmpty()).forEach(w -> layer.runPartition(x, w));
            for (int g = 0; g < gpus; g++) {
                PartitionWork work = works.get(g);
                double measured = work.experts().isEmpty() ? 0 : measure(layer, x, work);
                checks.add(new PartitionCheck(g, byGpu.get(g).size(), work.activations(), predicted[g], measured));
            }
        }
        return summarise(scenario, costModel, tokens, checks);
    }

    private double measure(ExecutableLayer layer, FloatMatrix x, PartitionWork work) {
        double[] times = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            times[r] = layer.runPartition(x, work).timeUs();
        }
        return CalibrationFitter.median(times);
    }

    /** Routed copies per expert of MoE layer 0 for {@code tokens} tokens spread over the GPUs. */
    static double[] expertCopies(RoutingModel routing, int tokens, int gpus, int experts) {
        long[] perGpu = new long[gpus];
        for (int g = 0; g < gpus; g++) {
            perGpu[g] = tokens / gpus + (g < tokens % gpus ? 1 : 0);
        }
        double[] layer0 = routing.route(0, 0, perGpu)[0];
        double[] copies = new double[experts];
        for (int src = 0; src < gpus; src++) {
            for (int e = 0; e < experts; e++) {
                copies[e] += layer0[src * experts + e];
            }
        }
        return copies;
    }

    private ValidationResult summarise(String scenario, CostModel costModel, int tokens, List<PartitionCheck> checks) {
        List<PartitionCheck> measured = checks.stream().filter(c -> c.measuredUs() > 0).toList();
        double[] errors = measured.stream().mapToDouble(c -> Math.abs(c.errorPct())).toArray();
        return new ValidationResult(scenario, backend.name(), backend.deviceName(), costModel.description(), tokens,
                checks, CalibrationFitter.median(errors), Arrays.stream(errors).max().orElse(Double.NaN),
                imbalance(checks.stream().mapToDouble(PartitionCheck::predictedUs).toArray()),
                imbalance(checks.stream().mapToDouble(PartitionCheck::measuredUs).toArray()));
    }

    static double imbalance(double[] times) {
        double max = Arrays.stream(times).max().orElse(0);
        double mean = Arrays.stream(times).average().orElse(0);
        return mean == 0 ? 1 : max / mean;
    }

    /** The model as the backend computes it (the CPU reference runs in fp32). */
    static ModelSpec withDtype(ModelSpec m, String dtype) {
        return new ModelSpec(m.hiddenSize(), m.layers(), m.denseLayers(), m.denseFfnHidden(), m.vocabSize(),
                m.tieEmbeddings(), DType.fromLabel(dtype), m.attention(), m.moe());
    }
}
