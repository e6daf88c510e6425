package org.mohge.cli.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.PlacementSpec;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.serving.ServingSpec;

/**
 * One scenario file: a model on a cluster running a workload, with routing and placement
 * settings. {@code seed} is required: every random draw of a run derives from it. The optional
 * {@code serving} section describes request traffic and a serving deployment for {@code mohge serve}
 * (null when absent; see {@link #hasServing()}).
 */
public record ScenarioSpec(@JsonProperty(required = true) String name,
                           @JsonProperty(required = true) long seed,
                           @JsonProperty(required = true) ModelSpec model,
                           @JsonProperty(required = true) ClusterSpec cluster,
                           @JsonProperty(required = true) WorkloadSpec workload,
                           RoutingSpec routing,
                           PlacementSpec placement,
                           OutputSpec output,
                           SimulationSpec simulation,
                           String calibration,
                           ServingSpec serving) {

    public ScenarioSpec {
        OutputSpec.requireFolderName(name);
        Require.present(model, "model");
        Require.present(cluster, "cluster");
        Require.present(workload, "workload");
        routing = Require.orDefault(routing, RoutingSpec.defaults());
        placement = Require.orDefault(placement, PlacementSpec.defaults());
        output = Require.orDefault(output, OutputSpec.defaults());
        simulation = Require.orDefault(simulation, SimulationSpec.defaults());
        long tokensPerMicroBatch = workload.tokensPerStep() / workload.microBatches();
        Require.check(tokensPerMicroBatch >= cluster.gpuCount(), "workload.tokensPerStep",
                "must give every GPU at least one token per micro-batch (" + cluster.gpuCount() + " GPUs x "
                        + workload.microBatches() + " micro-batches), got " + workload.tokensPerStep());
        Integer slots = placement.maxExpertsPerGpu();
        int experts = model.moe() == null ? 0 : model.moe().expertCount();
        Require.check(slots == null || (long) slots * cluster.gpuCount() >= experts, "placement.maxExpertsPerGpu",
                "cannot hold the model: " + slots + " experts on each of " + cluster.gpuCount() + " GPUs is fewer "
                        + "than the model's " + experts + " experts");
    }

    public boolean hasServing() {
        return serving != null;
    }
}
