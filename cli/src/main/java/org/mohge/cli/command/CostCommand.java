package org.mohge.cli.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.PlacementOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerCostBreakdown;
import org.mohge.costmodel.cost.LayerCostEstimator;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.LayeredCostBreakdown;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.cost.StageCost;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.workload.WorkloadSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge cost}: expected per-layer cost breakdown on one GPU, a step estimate and memory per GPU. */
@Command(name = "cost",
        header = "Expected per-stage cost of one MoE layer, step time and memory per GPU.",
        description = {"Expected per-stage cost of one MoE layer, a step estimate and memory per GPU.",
            "",
            "Mean-field routing (every expert gets its expected share of tokens), stages in sequence without",
            "overlap, each stage on the GPU that finishes it last. `mohge simulate` refines this with routing",
            "draws, real per-GPU loads and overlap."},
        footer = {"", "Examples:",
            "  mohge cost scenarios/paper/mohge-3g-8xh100.json",
            "  mohge cost scenarios/real/deepseek-v3.json --json"})
public final class CostCommand implements Callable<Integer> {
    private static final int MAX_MEMORY_ROWS = 16;
    @Mixin
    ScenarioArgument scenario;
    @Mixin
    FormatOption format;
    @Mixin
    PlacementOption placementOption;
    @Spec
    CommandSpec spec;

    /** Memory of one GPU in the JSON output. */
    public record GpuMemoryJson(int gpu, double weightBytes, double gradientBytes, double optimizerBytes,
                                double activationBytes, double kvCacheBytes, double totalBytes, double capacityBytes,
                                double headroomFraction, boolean fits) {
        static GpuMemoryJson of(MemoryEstimate m) {
            return new GpuMemoryJson(m.gpu(), m.weightBytes(), m.gradientBytes(), m.optimizerBytes(),
                    m.activationBytes(), m.kvCacheBytes(), m.totalBytes(), m.capacityBytes(), m.headroomFraction(),
                    m.fits());
        }
    }

    /** One map of a per-layer placement in the JSON output: from MoE layer {@code fromLayer}, for {@code layers} layers. */
    public record LayerMapJson(int fromLayer, int layers, double moeLayerUs, double maxExpertTimeUs,
                               double expertImbalance, double allToAllInterNodeBytesPerLayer) {
    }

    /**
     * The JSON document of {@code cost --json}. With one map per MoE layer, the stage times, expert
     * times and bytes are means over the MoE layers, {@code expertImbalance} the mean of each layer's,
     * and {@code layerMaps} lists each map (absent with one map for every layer).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostJson(String scenario, String costModel, String gpu, int gpus, String placement,
                           String workload, double tokensPerGpuPerMicroBatch, List<StageCost> moeLayerStages,
                           double moeLayerUs, double denseLayerUs, double lmHeadUs, double stepTimeUs,
                           double tokensPerSecond, double expertImbalance, double[] expertTimeUsPerGpu,
                           double allToAllIntraNodeBytesPerLayer, double allToAllInterNodeBytesPerLayer,
                           List<GpuMemoryJson> memory, List<LayerMapJson> layerMaps) {
    }

    @Override
    public Integer call() {
        ScenarioSpec s = scenario.load();
        if (s.hasLayout()) {
            placementOption.requireNoneForTraining(scenario.file());
            CostModel costModel = CostModels.forScenario(s, scenario.file());
            TrainingStepOutput.print(spec.commandLine().getOut(), s, costModel.description(),
                    TrainingStep.estimate(s.model(), s.layout(), s.resolvedPrecision(), costModel,
                            s.routing().maxNodesPerToken()), format.json());
            return ExitCodes.OK;
        }
        s.requireExperts(scenario.file(), "the workload model prices expert-parallel MoE layers; give a training "
                + "section to price a dense step");
        ModelSpec model = s.model();
        WorkloadSpec workload = s.workload();
        LayeredPlacement placement = PlacementResolver.resolveLayered(s, scenario.file(), placementOption.file());
        CostModel costModel = CostModels.forScenario(s, scenario.file());
        LayerOps ops = new LayerOps(model, costModel);
        double[] shares = model.moe().defaultExpertShares();
        LayeredCostBreakdown layered = LayeredCostBreakdown.estimate(new LayerCostEstimator(ops), workload, placement,
                shares, model.moeLayers());
        LayerCostBreakdown layer = layered.mean();

        double tokens = layer.tokensPerGpu();
        double denseLayerUs = 0;
        if (model.denseLayers() > 0) {
            OpCost denseForward = ops.attention(tokens, FlopAccounting.causalMeanContext(workload.sequenceLength()))
                    .plus(ops.denseFfn(tokens));
            denseLayerUs = withBackward(denseForward, workload).timeUs();
        }
        double lmHeadUs = withBackward(ops.lmHead(tokens), workload).timeUs();
        double stepUs = workload.microBatches()
                * (model.moeLayers() * layer.totalUs() + model.denseLayers() * denseLayerUs + lmHeadUs);
        double tokensPerSecond = workload.tokensPerStep() / (stepUs * 1e-6);
        List<MemoryEstimate> memory = MemoryModel.perGpu(model, s.cluster(), workload, placement, shares);

        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            List<GpuMemoryJson> mem = new ArrayList<>();
            memory.forEach(m -> mem.add(GpuMemoryJson.of(m)));
            JsonOutput.print(out, new CostJson(s.name(), costModel.description(), s.cluster().gpu().name(),
                    s.cluster().gpuCount(), placement.strategy(), workload.kind().label(), tokens, layer.stages(),
                    layer.totalUs(), denseLayerUs, lmHeadUs, stepUs, tokensPerSecond, layered.meanExpertImbalance(),
                    layer.expertTimeUsPerGpu(), layer.intraNodeBytes(), layer.interNodeBytes(), mem,
                    layered.hasOneMap() ? null : layerMaps(layered)));
            return ExitCodes.OK;
        }
        out.println("Cost of " + s.name() + ": " + workload.kind().label() + ", " + s.cluster().nodes() + " x "
                + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name() + ", placement " + placement.strategy());
        out.println("cost model: " + costModel.description());
        out.println("tokens per GPU per micro-batch: " + Units.fixed(tokens, 1) + " (" + workload.microBatches()
                + " micro-batches)");
        out.println();
        out.println(layered.hasOneMap() ? "One MoE layer, one micro-batch, slowest GPU per stage:"
                : "Mean MoE layer (" + placement.layers().size() + " maps), one micro-batch, slowest GPU per stage:");
        TextTable table = new TextTable("stage", "forward us", "backward us", "TFLOP", "GB moved");
        for (StageCost st : layer.stages()) {
            table.row(st.stage().label(), Units.fixed(st.forwardUs(), 1), Units.fixed(st.backwardUs(), 1),
                    Units.fixed(st.flops() / 1e12, 3), Units.fixed(st.bytes() / 1e9, 3));
        }
        table.row("MoE layer", Units.fixed(sum(layer.stages(), true), 1), Units.fixed(sum(layer.stages(), false), 1),
                "", "");
        out.print(table.render());
        out.println();
        if (layered.hasOneMap()) {
            out.println("expert time per GPU: max " + Units.fixed(max(layer.expertTimeUsPerGpu()), 1) + " us, "
                    + "imbalance (max/mean) " + Units.fixed(layer.expertImbalance(), 3));
        } else {
            out.println("Each map, one MoE layer:");
            TextTable maps = new TextTable("from MoE layer", "layers", "layer us", "max expert us", "imbalance",
                    "GB across nodes");
            for (LayerMapJson m : layerMaps(layered)) {
                maps.row(m.fromLayer(), m.layers(), Units.fixed(m.moeLayerUs(), 1), Units.fixed(m.maxExpertTimeUs(), 1),
                        Units.fixed(m.expertImbalance(), 3), Units.fixed(m.allToAllInterNodeBytesPerLayer() / 1e9, 3));
            }
            out.print(maps.render());
            out.println("expert imbalance (max/mean), mean over MoE layers: "
                    + Units.fixed(layered.meanExpertImbalance(), 3));
        }
        out.println("all-to-all per layer: " + Units.fixed(layer.intraNodeBytes() / 1e9, 3) + " GB over NVLink, "
                + Units.fixed(layer.interNodeBytes() / 1e9, 3) + " GB across nodes");
        if (model.denseLayers() > 0) {
            out.println("dense layer (attention + dense FFN): " + Units.fixed(denseLayerUs, 1) + " us");
        }
        out.println("LM head: " + Units.fixed(lmHeadUs, 1) + " us");
        out.println("step estimate (no overlap): " + Units.fixed(stepUs / 1e3, 2) + " ms, "
                + Units.count(tokensPerSecond) + " tokens/s");
        out.println();
        out.println("Memory per GPU (GiB):");
        TextTable mem = new TextTable("gpu", "weights", "grads", "optimizer", "activations", "kv cache", "total",
                "capacity", "headroom");
        // Large clusters: the GPUs that need the most memory, then a summary line for the rest.
        List<MemoryEstimate> shown = memory.size() <= MAX_MEMORY_ROWS ? memory : memory.stream()
                .sorted(java.util.Comparator.comparingDouble(MemoryEstimate::totalBytes).reversed()
                        .thenComparingInt(MemoryEstimate::gpu))
                .limit(MAX_MEMORY_ROWS / 2).toList();
        for (MemoryEstimate m : shown) {
            mem.row(m.gpu(), Units.gib(m.weightBytes()), Units.gib(m.gradientBytes()), Units.gib(m.optimizerBytes()),
                    Units.gib(m.activationBytes()), Units.gib(m.kvCacheBytes()), Units.gib(m.totalBytes()),
                    Units.gib(m.capacityBytes()), Units.percent(m.headroomFraction()));
        }
        out.print(mem.render());
        if (shown.size() < memory.size()) {
            double least = memory.stream().mapToDouble(MemoryEstimate::totalBytes).min().orElse(0);
            out.println("(the " + shown.size() + " fullest of " + memory.size() + " GPUs; the emptiest needs "
                    + Units.gib(least) + " GiB; --json lists all)");
        }
        long over = memory.stream().filter(m -> !m.fits()).count();
        if (over > 0) {
            out.println("WARNING: " + over + " of " + memory.size() + " GPUs exceed their memory capacity");
        }
        return ExitCodes.OK;
    }

    private static List<LayerMapJson> layerMaps(LayeredCostBreakdown layered) {
        List<LayerMapJson> maps = new ArrayList<>();
        for (int m = 0; m < layered.perMap().size(); m++) {
            LayerCostBreakdown b = layered.perMap().get(m);
            maps.add(new LayerMapJson(layered.firstLayers().get(m), layered.layersPerMap()[m], b.totalUs(),
                    max(b.expertTimeUsPerGpu()), b.expertImbalance(), b.interNodeBytes()));
        }
        return maps;
    }

    /** Forward cost, plus LayerOps' backward of it when training. */
    private static OpCost withBackward(OpCost forward, WorkloadSpec workload) {
        return workload.training() ? forward.plus(LayerOps.backward(forward)) : forward;
    }

    private static double sum(List<StageCost> stages, boolean forward) {
        return stages.stream().mapToDouble(st -> forward ? st.forwardUs() : st.backwardUs()).sum();
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
