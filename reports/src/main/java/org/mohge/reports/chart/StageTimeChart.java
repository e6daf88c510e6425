package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.metrics.StageTime;

/** Where a step's time goes: forward plus backward time per stage, stacked, one bar per placement. */
public final class StageTimeChart {
    private StageTimeChart() {
    }

    public static ChartSpec spec(List<SimResult> runs) {
        List<String> placements = runs.stream().map(SimResult::placement).toList();
        List<String> stages = runs.get(0).stages().stream().map(StageTime::stage).toList();
        List<ChartSpec.Series> series = new ArrayList<>();
        for (String stage : stages) {
            List<Double> values = new ArrayList<>();
            for (SimResult r : runs) {
                values.add(r.stages().stream().filter(s -> s.stage().equals(stage))
                        .mapToDouble(s -> (s.forwardUs() + s.backwardUs()) / 1e3).sum());
            }
            series.add(new ChartSpec.Series(stage, values));
        }
        return new ChartSpec.Bars("Time per stage and step (mean GPU)", "placement", "time per step (ms)", placements,
                series, true, Double.NaN, "");
    }
}
