package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import org.mohge.sim.metrics.SimResult;

/** Per-GPU expert compute time per step, one series per placement: balance at a glance. */
public final class GpuExpertTimeChart {
    private GpuExpertTimeChart() {
    }

    public static ChartSpec spec(List<SimResult> runs) {
        int gpus = runs.get(0).gpuCount();
        List<String> categories = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            categories.add(String.valueOf(g));
        }
        List<ChartSpec.Series> series = new ArrayList<>();
        for (SimResult r : runs) {
            series.add(new ChartSpec.Series(r.placement(),
                    r.gpus().stream().map(g -> g.expertTimeUs() / 1e3).toList()));
        }
        return new ChartSpec.Bars("Expert compute time per GPU and step", "GPU", "expert time per step (ms)",
                categories, series, false, Double.NaN, "");
    }
}
