package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import org.mohge.sim.metrics.LayerStats;
import org.mohge.sim.metrics.SimResult;

/** Max/mean expert time across GPUs for every MoE layer, one line per placement. */
public final class LayerImbalanceChart {
    private LayerImbalanceChart() {
    }

    public static ChartSpec spec(List<SimResult> runs) {
        List<ChartSpec.XySeries> series = new ArrayList<>();
        for (SimResult r : runs) {
            List<double[]> points = new ArrayList<>();
            for (LayerStats l : r.layers()) {
                points.add(new double[] {l.moeLayer(), l.expertImbalance()});
            }
            series.add(new ChartSpec.XySeries(r.placement(), points));
        }
        return new ChartSpec.Xy("Expert-time imbalance per MoE layer", "MoE layer", "max / mean expert time",
                series, true, false, false);
    }
}
