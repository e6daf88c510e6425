package org.mohge.cli.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.PlacementSpec;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuSpec;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.TokenDispatcher;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.PrecisionSpec;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.serving.ServingSpec;

/**
 * One scenario file: a model on a cluster running a workload, with routing and placement
 * settings. {@code seed} is required: every random draw of a run derives from it. The optional
 * {@code serving} section describes request traffic and a serving deployment for {@code mohge serve}
 * (null when absent; see {@link #hasServing()}).
 *
 * <p>A {@code training} section (with optional {@code parallelism} and {@code precision}) makes it
 * a training job under a parallel layout: {@code cost} and {@code simulate} then price the whole
 * step (pipeline, every collective, optimizer). {@code workload} may then be left out; it is
 * derived as the same tokens in globalBatchSize / (microBatchSize x dp) micro-batches. Without a
 * {@code training} section, {@code workload} is required and the expert-parallel layer model of
 * earlier versions applies unchanged.
 */
public record ScenarioSpec(@JsonProperty(required = true) String name,
                           @JsonProperty(required = true) long seed,
                           @JsonProperty(required = true) ModelSpec model,
                           @JsonProperty(required = true) ClusterSpec cluster,
                           WorkloadSpec workload,
                           RoutingSpec routing,
                           PlacementSpec placement,
                           OutputSpec output,
                           SimulationSpec simulation,
                           String calibration,
                           ServingSpec serving,
                           ParallelismSpec parallelism,
                           TrainingSpec training,
                           PrecisionSpec precision) {

    public ScenarioSpec {
        OutputSpec.requireFolderName(name);
        Require.present(model, "model");
        Require.present(cluster, "cluster");
        routing = Require.orDefault(routing, RoutingSpec.defaults());
        placement = Require.orDefault(placement, PlacementSpec.defaults());
        output = Require.orDefault(output, OutputSpec.defaults());
        simulation = Require.orDefault(simulation, SimulationSpec.defaults());
        Require.check(training != null || serving != null || !model.isDense(), "training", "is required for a "
                + "dense model (no model.moe section) without a serving section: a dense training job is priced "
                + "as a step under a parallel layout (workload prices expert-parallel MoE layers)");
        if (training == null) {
            Require.check(parallelism == null, "parallelism", "needs a training section (globalBatchSize, "
                    + "microBatchSize, sequenceLength)");
            Require.check(precision == null, "precision", "needs a training section: it sets the dtypes of the "
                    + "training step (the workload model and serving price in model.dtype)");
            Require.present(workload, "workload");
        } else {
            parallelism = Require.orDefault(parallelism, ParallelismSpec.defaults());
            precision = Require.orDefault(precision, PrecisionSpec.forModelDtype(model.dtype()));
            ParallelLayout layout = ParallelLayout.of(parallelism, training, model, cluster);
            requireTensorCoresFor(precision.resolve(parallelism.dispatcher()), cluster.gpu());
            if (workload == null) {
                workload = new WorkloadSpec(WorkloadKind.TRAINING, training.tokensPerStep(),
                        training.sequenceLength(), layout.microBatches());
            }
            Require.check(workload.training(), "workload.kind", "must be training when a training section is given");
            Require.check(!simulation.dualBatchOverlap(), "simulation.dualBatchOverlap", "is not used with a training "
                    + "section (parallelism.epOverlap overlaps its expert exchanges); remove it");
            int maxNodes = routing.maxNodesPerToken();
            Require.check(maxNodes == 0 || !model.isDense(), "routing.maxNodesPerToken",
                    "must be 0 for a dense model (no moe section routes no tokens), got " + maxNodes);
            Require.check(maxNodes <= layout.nodesPerExpertGroup() || maxNodes == 0, "routing.maxNodesPerToken",
                    "must be <= the " + layout.nodesPerExpertGroup() + " node(s) one EP group spans, got " + maxNodes);
            int expertsPerNode = model.isDense() ? 0 : model.moe().expertCount() / layout.nodesPerExpertGroup();
            int topK = model.isDense() ? 0 : model.moe().routedExpertsPerToken();
            Require.check(maxNodes == 0 || (long) maxNodes * expertsPerNode >= topK, "routing.maxNodesPerToken",
                    "x " + expertsPerNode + " experts per node must offer the " + topK
                            + " experts a token picks, got " + maxNodes);
        }
        Require.check(model.dtype() != DType.FP8 || cluster.gpu().hasFp8(), "model.dtype", "fp8 needs fp8 tensor "
                + "cores, which the " + cluster.gpu().name() + " lacks");
        if (training == null) {
            long tokensPerMicroBatch = workload.tokensPerStep() / workload.microBatches();
            Require.check(tokensPerMicroBatch >= cluster.gpuCount(), "workload.tokensPerStep",
                    "must give every GPU at least one token per micro-batch (" + cluster.gpuCount() + " GPUs x "
                            + workload.microBatches() + " micro-batches), got " + workload.tokensPerStep());
            // A training step's tokens are whole sequences: one longer than a micro-batch cannot be
            // trained on (attention would be priced over a context the step never holds). Inference
            // tokens attend to a cached context, which may be longer than the batch.
            Require.check(!workload.training() || workload.sequenceLength() <= tokensPerMicroBatch,
                    "workload.sequenceLength", "must be <= the " + tokensPerMicroBatch + " tokens of a training "
                            + "micro-batch (tokensPerStep " + workload.tokensPerStep() + " / "
                            + workload.microBatches() + " micro-batches), got " + workload.sequenceLength());
        }
        Integer slots = placement.maxExpertsPerGpu();
        int experts = model.moe() == null ? 0 : model.moe().expertCount();
        Require.check(slots == null || (long) slots * cluster.gpuCount() >= experts, "placement.maxExpertsPerGpu",
                "cannot hold the model: " + slots + " experts on each of " + cluster.gpuCount() + " GPUs is fewer "
                        + "than the model's " + experts + " experts");
    }

    /** Refuses a precision whose GEMMs or exchanges the GPU's tensor cores cannot run. */
    private static void requireTensorCoresFor(Precision p, GpuSpec gpu) {
        Require.check(p.recipe() != PrecisionRecipe.MXFP8 || gpu.mxFormats(), "precision.recipe", "mxfp8 needs "
                + "tensor cores that run the MX formats (Blackwell and later), which the " + gpu.name()
                + " lacks; use fp8-blockwise or fp8-tensorwise");
        boolean fp8 = p.gemm() == DType.FP8 || p.attention() == DType.FP8 || p.dispatch() == DType.FP8
                || p.combine() == DType.FP8;
        Require.check(!fp8 || gpu.hasFp8(), p.recipe() == PrecisionRecipe.BF16 ? "precision" : "precision.recipe",
                p.recipe().label() + " runs fp8 GEMMs or exchanges, which need fp8 tensor cores; the " + gpu.name()
                        + " lacks them (use bf16)");
    }

    /**
     * Refuses, with one line naming {@code file}, a dense model (no {@code model.moe}) for a command that
     * works on experts; {@code what} says what is missing, e.g. "no experts to place".
     */
    public ScenarioSpec requireExperts(java.nio.file.Path file, String what) {
        if (model.isDense()) {
            throw new ScenarioException(file + ": model: " + what + " (a dense model: no moe section)");
        }
        return this;
    }

    public boolean hasServing() {
        return serving != null;
    }

    /** Whether this scenario is a training job under a parallel layout (it has a {@code training} section). */
    public boolean hasLayout() {
        return training != null;
    }

    /** The validated layout; only for scenarios with a {@code training} section. */
    public ParallelLayout layout() {
        return ParallelLayout.of(parallelism, training, model, cluster);
    }

    /**
     * The precision's classes resolved, the dispatch dtype by the MoE dispatcher where the step has a
     * layout; without a training section (no {@code precision} then) the model's dtype throughout.
     */
    public Precision resolvedPrecision() {
        PrecisionSpec p = precision != null ? precision : PrecisionSpec.forModelDtype(model.dtype());
        return p.resolve(parallelism == null ? TokenDispatcher.DEEPEP : parallelism.dispatcher());
    }
}
