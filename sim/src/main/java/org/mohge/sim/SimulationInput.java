package org.mohge.sim;

import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.routing.RoutingSpec;

/**
 * Everything one simulation needs. A trace path in {@code routing} is read as given (resolve it
 * against the scenario's folder first). {@code placement} holds one expert-to-GPU map per MoE
 * layer (or one for all).
 */
public record SimulationInput(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, RoutingSpec routing,
                              LayeredPlacement placement, CostModel costModel, long seed, SimulationSpec options) {
    public SimulationInput {
        Require.present(model, "model");
        Require.present(cluster, "cluster");
        Require.present(workload, "workload");
        routing = Require.orDefault(routing, RoutingSpec.defaults());
        Require.present(placement, "placement");
        Require.present(costModel, "costModel");
        options = Require.orDefault(options, SimulationSpec.defaults());
    }

    /** One map for every MoE layer. */
    public SimulationInput(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, RoutingSpec routing,
                           Placement placement, CostModel costModel, long seed, SimulationSpec options) {
        this(model, cluster, workload, routing, single(placement), costModel, seed, options);
    }

    /** One map for every MoE layer, default options. */
    public SimulationInput(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, RoutingSpec routing,
                           Placement placement, CostModel costModel, long seed) {
        this(model, cluster, workload, routing, single(placement), costModel, seed, SimulationSpec.defaults());
    }

    private static LayeredPlacement single(Placement placement) {
        return LayeredPlacement.single(Require.present(placement, "placement"));
    }
}
