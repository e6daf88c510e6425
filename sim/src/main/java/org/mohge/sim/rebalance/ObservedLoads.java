package org.mohge.sim.rebalance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.sim.metrics.SimListener;
import org.mohge.sim.traffic.MoeLayerTraffic;

/**
 * Counts the copies routed to each expert of each MoE layer, summed over source GPUs and units,
 * since it was last emptied: the loads a runtime would measure between two re-placements.
 */
public final class ObservedLoads implements SimListener {
    private final double[][] copies;

    public ObservedLoads(int moeLayers, int experts) {
        this.copies = new double[moeLayers][experts];
    }

    @Override
    public void onMoeLayerRouted(MoeLayerTraffic traffic) {
        double[] layer = copies[traffic.moeLayer()];
        int experts = traffic.experts();
        double[] counts = traffic.counts();
        for (int i = 0; i < counts.length; i++) {
            layer[i % experts] += counts[i];
        }
    }

    /** The copies per step of each expert over the last {@code steps} steps, then starts counting afresh. */
    public LoadProfile takePerStep(int steps) {
        List<LayerLoad> layers = new ArrayList<>(copies.length);
        for (int l = 0; l < copies.length; l++) {
            List<Double> loads = new ArrayList<>(copies[l].length);
            for (double c : copies[l]) {
                loads.add(c / steps);
            }
            layers.add(new LayerLoad(l, loads));
            Arrays.fill(copies[l], 0);
        }
        return new LoadProfile(layers);
    }
}
