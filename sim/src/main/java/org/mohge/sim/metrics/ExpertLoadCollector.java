package org.mohge.sim.metrics;

import org.mohge.sim.traffic.MoeLayerTraffic;

/** Sums, per MoE layer and GPU, the forward expert time and the routed copies received, over all steps. */
public final class ExpertLoadCollector implements SimListener {
    final double[][] layerExpertNs;
    final double[][] layerTokens;

    public ExpertLoadCollector(int moeLayers, int gpus) {
        layerExpertNs = new double[moeLayers][gpus];
        layerTokens = new double[moeLayers][gpus];
    }

    @Override
    public void onMoeLayerRouted(MoeLayerTraffic t) {
        int l = t.moeLayer();
        long[] ns = t.expertsNs();
        double[] got = t.receivedCopies();
        for (int g = 0; g < ns.length; g++) {
            layerExpertNs[l][g] += ns[g];
            layerTokens[l][g] += got[g];
        }
    }
}
