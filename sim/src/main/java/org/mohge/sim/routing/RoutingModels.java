package org.mohge.sim.routing;

import java.nio.file.Path;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.workload.WorkloadSpec;

/** Builds the {@link RoutingModel} a scenario's {@code routing} section describes. */
public final class RoutingModels {
    private RoutingModels() {
    }

    /**
     * @param baseDir directory a relative {@code tracePath} is resolved against (the scenario's
     *                folder), or null for the working directory
     */
    public static RoutingModel create(ModelSpec model, WorkloadSpec workload, RoutingSpec routing, long seed,
                                      Path baseDir) {
        MoeLayerSpec moe = model.moe();
        int layers = model.moeLayers();
        int experts = moe.expertCount();
        int picks = moe.routedExpertsPerToken();
        if (routing.model() == RoutingSource.TRACE) {
            Path path = Path.of(routing.tracePath());
            if (baseDir != null && !path.isAbsolute()) {
                path = baseDir.resolve(path);
            }
            RoutingTrace trace = RoutingTraces.read(path, layers, experts, picks);
            if (trace instanceof TokenTrace tokens) {
                return new TokenTraceRouting(tokens, layers, experts, picks, workload.microBatches());
            }
            CountsTrace counts = (CountsTrace) trace; // the only other kind of the sealed RoutingTrace
            Integer[] traced = counts.layerCounts().keySet().toArray(new Integer[0]);
            return TableRouting.fixed(l -> {
                double[] c = counts.layerCounts().get(traced[l % traced.length]);
                double sum = 0;
                for (double v : c) {
                    sum += v;
                }
                double[] q = new double[c.length];
                for (int e = 0; e < c.length; e++) {
                    q[e] = c[e] / sum;
                }
                return SelectionTable.flat(Inclusion.fromPreferences(q, picks), picks);
            }, layers, experts, picks, routing.exact(), seed);
        }
        SyntheticTables tables = new SyntheticTables(moe, layers, routing, seed);
        return TableRouting.synthetic(tables, layers, experts, picks, routing.exact(), seed);
    }

    public static RoutingModel create(ModelSpec model, WorkloadSpec workload, RoutingSpec routing, long seed) {
        return create(model, workload, routing, seed, null);
    }
}
