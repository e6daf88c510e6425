package org.mohge.sim.routing;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.workload.WorkloadSpec;

/** Expected expert loads under a routing model: what the placement solver optimises for. */
public final class RoutingLoads {
    private RoutingLoads() {
    }

    /**
     * Expected tokens per step routed to each expert, one {@link LayerLoad} per MoE layer
     * ({@code layer} counts MoE layers from 0), at the routing of the first step: tokens per step
     * times each expert's inclusion probability. Exact, not sampled: the synthetic router's
     * probabilities are known in closed form (see {@link Inclusion}). A trace path is resolved
     * against the working directory.
     */
    public static LoadProfile expectedLoads(ModelSpec model, WorkloadSpec workload, RoutingSpec routing, long seed) {
        return expectedLoads(RoutingModels.create(model, workload, routing, seed), workload);
    }

    public static LoadProfile expectedLoads(RoutingModel routing, WorkloadSpec workload) {
        List<LayerLoad> layers = new ArrayList<>(routing.moeLayers());
        for (int l = 0; l < routing.moeLayers(); l++) {
            double[] pi = routing.expectedInclusion(l);
            List<Double> loads = new ArrayList<>(pi.length);
            for (double p : pi) {
                loads.add(workload.tokensPerStep() * p);
            }
            layers.add(new LayerLoad(l, loads));
        }
        return new LoadProfile(layers);
    }
}
