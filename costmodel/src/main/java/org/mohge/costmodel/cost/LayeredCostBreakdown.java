package org.mohge.costmodel.cost;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.workload.WorkloadSpec;

/**
 * Expected cost of every MoE layer under its own map: one {@link LayerCostBreakdown} per map of a
 * {@link LayeredPlacement}, {@code layersPerMap[i]} MoE layers using map i, and {@code firstLayers}
 * the MoE layer each map is listed for. With one map, {@link #mean()} is that map's breakdown itself.
 */
public record LayeredCostBreakdown(List<LayerCostBreakdown> perMap, int[] layersPerMap, List<Integer> firstLayers) {

    public LayeredCostBreakdown {
        perMap = List.copyOf(perMap);
        layersPerMap = layersPerMap.clone();
        firstLayers = List.copyOf(firstLayers);
    }

    /** Prices each map of {@code placement} once and counts the model's MoE layers that use it. */
    public static LayeredCostBreakdown estimate(LayerCostEstimator estimator, WorkloadSpec workload,
                                                LayeredPlacement placement, double[] expertShares, int moeLayers) {
        List<LayerCostBreakdown> perMap = new ArrayList<>();
        for (Placement map : placement.placements()) {
            perMap.add(estimator.estimate(workload, map, expertShares));
        }
        List<Integer> first = placement.layers().stream().map(LayeredPlacement.LayerPlacement::layer).toList();
        return new LayeredCostBreakdown(perMap, placement.layerCounts(moeLayers), first);
    }

    public boolean hasOneMap() {
        return perMap.size() == 1;
    }

    /**
     * The mean MoE layer: stage times, per-GPU expert times and bytes averaged over the MoE layers
     * (each map weighted by the layers that use it), so {@code moeLayers * mean().totalUs()} is the
     * sum of every layer's time.
     */
    public LayerCostBreakdown mean() {
        if (hasOneMap()) {
            return perMap.get(0);
        }
        double layers = 0;
        for (int n : layersPerMap) {
            layers += n;
        }
        LayerCostBreakdown first = perMap.get(0);
        int gpus = first.expertTimeUsPerGpu().length;
        double[] expertUs = new double[gpus];
        double intra = 0;
        double inter = 0;
        List<StageCost> stages = new ArrayList<>();
        for (int s = 0; s < first.stages().size(); s++) {
            double fwd = 0;
            double bwd = 0;
            double flops = 0;
            double bytes = 0;
            for (int m = 0; m < perMap.size(); m++) {
                StageCost st = perMap.get(m).stages().get(s);
                double w = layersPerMap[m] / layers;
                fwd += w * st.forwardUs();
                bwd += w * st.backwardUs();
                flops += w * st.flops();
                bytes += w * st.bytes();
            }
            stages.add(new StageCost(first.stages().get(s).stage(), fwd, bwd, flops, bytes));
        }
        for (int m = 0; m < perMap.size(); m++) {
            double w = layersPerMap[m] / layers;
            double[] t = perMap.get(m).expertTimeUsPerGpu();
            for (int g = 0; g < gpus; g++) {
                expertUs[g] += w * t[g];
            }
            intra += w * perMap.get(m).intraNodeBytes();
            inter += w * perMap.get(m).interNodeBytes();
        }
        return new LayerCostBreakdown(first.tokensPerGpu(), stages, expertUs, intra, inter);
    }

    /**
     * Mean over MoE layers of each layer's max/mean expert time (every layer waits for its own
     * slowest GPU); with one map, that map's imbalance.
     */
    public double meanExpertImbalance() {
        if (hasOneMap()) {
            return perMap.get(0).expertImbalance();
        }
        double sum = 0;
        double layers = 0;
        for (int m = 0; m < perMap.size(); m++) {
            sum += layersPerMap[m] * perMap.get(m).expertImbalance();
            layers += layersPerMap[m];
        }
        return sum / layers;
    }

    @Override
    public int[] layersPerMap() {
        return layersPerMap.clone();
    }
}
