package org.mohge.cli.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.cost.CalibratedCostModel;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingSpec;

/**
 * The validation suite: 24 small layer configurations (uniform, heterogeneous and grouped layers;
 * 256 to 2048 tokens; even and skewed group mixes; contiguous and group-decoupled placements on 2
 * and 4 GPUs), each validated against a calibration made in the same run. Small enough for a CPU
 * in CI, varied enough that a cost model which only fits its own sweep would show it.
 */
public final class ValidationSuite {

    /** One configuration of the suite and its validation. */
    public record Case(String name, ValidationResult result) {
    }

    /** All cases, the calibration they used, and the median of the per-case median errors. */
    public record Result(CalibrationProfile calibration, List<Case> cases, double medianAbsErrorPct,
                         double maxAbsErrorPct) {
    }

    private ValidationSuite() {
    }

    static List<MoeLayerSpec> layers() {
        return List.of(
                new UniformMoe(8, 128, 2, 0, 0, Activation.SWIGLU),
                new UniformMoe(16, 64, 4, 0, 0, Activation.SWIGLU),
                new HeterogeneousMoe(List.of(32, 32, 64, 64, 128, 128, 256, 256), 2, 0, 0, Activation.SWIGLU),
                new GroupedMoe(List.of(new ExpertGroup(32, 8), new ExpertGroup(64, 8), new ExpertGroup(128, 8)), 2, 2, 0,
                        0, Activation.SWIGLU),
                new GroupedMoe(List.of(new ExpertGroup(64, 4), new ExpertGroup(256, 4)), 1, 2, 0, 0, Activation.SWIGLU),
                new GroupedMoe(List.of(new ExpertGroup(32, 4), new ExpertGroup(96, 4), new ExpertGroup(192, 4),
                        new ExpertGroup(384, 4)), 2, 1, 0, 0, Activation.SWIGLU));
    }

    public static Result run(LayerBackend backend, boolean quick, Consumer<String> progress) {
        CalibrationProfile profile = CalibrationRun.run(backend, CalibrationRun.sweep(false, quick), progress);
        List<Case> cases = new ArrayList<>();
        LayerValidation validation = new LayerValidation(backend, quick ? 3 : 5);
        int[] hiddens = {128, 256};
        int[] gpuCounts = {2, 4};
        int[] tokenCounts = {256, 1024, 2048, 512};
        double[] groupBiases = {0, 1.0};
        List<MoeLayerSpec> layers = layers();
        for (int layerIndex = 0; layerIndex < layers.size(); layerIndex++) {
            MoeLayerSpec moe = layers.get(layerIndex);
            for (int variant = 0; variant < 4; variant++) {
                int index = layerIndex * 4 + variant;
                int d = hiddens[variant % 2];
                int gpus = gpuCounts[(variant / 2) % 2];
                int tokens = tokenCounts[(layerIndex + variant) % tokenCounts.length];
                double bias = groupBiases[variant % 2];
                String placementName = variant < 2 ? Placements.CONTIGUOUS : Placements.GROUP_DECOUPLED;
                ModelSpec model = new ModelSpec(d, 1, 0, 0, 100, true, DType.BF16, new GqaAttention(2, 1, 64), moe);
                ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, gpus);
                WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, tokens, 256, 1);
                RoutingSpec routing = RoutingSpec.defaults().withBalance(bias, variant == 3 ? 0.3 : 1.0, variant == 3 ? 0.7 : 0);
                Placement placement = Placements.builtIn(placementName, moe, gpus);
                CalibratedCostModel costModel = CalibratedCostModel.of(profile, "suite calibration", cluster);
                String name = moe.kind() + "-" + moe.expertCount() + "e d" + d + " " + gpus + "gpu " + tokens + "tok "
                        + placementName + " bias" + bias;
                progress.accept("case " + (cases.size() + 1) + ": " + name);
                ValidationResult r = validation.validate(name, model, placement,
                        RoutingModels.create(model, workload, routing, 1000 + index), costModel, tokens, 1000 + index);
                cases.add(new Case(name, r));
            }
        }
        double[] medians = cases.stream().mapToDouble(c -> c.result().medianAbsErrorPct()).toArray();
        double max = cases.stream().mapToDouble(c -> c.result().maxAbsErrorPct()).max().orElse(Double.NaN);
        return new Result(profile, cases, CalibrationFitter.median(medians), max);
    }
}
