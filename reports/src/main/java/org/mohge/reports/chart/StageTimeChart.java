package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.metrics.StageTime;

/**
 * Where a step's time goes: time per stage, stacked, one bar per placement. {@link #slowest} stacks
 * each stage's slowest GPU, the one every other GPU waits for at the stage's all-to-all, so a
 * straggler shows at full height; {@link #mean} stacks the average GPU, which hides stragglers and
 * shows the work itself.
 */
public final class StageTimeChart {
    private StageTimeChart() {
    }

    /** Per stage, the GPU with the most time in it (forward plus backward). */
    public static ChartSpec slowest(List<SimResult> runs) {
        return spec(runs, "Time per stage and step (slowest GPU of each stage)", StageTime::maxGpuUs);
    }

    /** Per stage, the mean over GPUs (forward plus backward). */
    public static ChartSpec mean(List<SimResult> runs) {
        return spec(runs, "Time per stage and step (mean over GPUs)", s -> s.forwardUs() + s.backwardUs());
    }

    private static ChartSpec spec(List<SimResult> runs, String title, ToDoubleFunction<StageTime> timeUs) {
        List<String> placements = runs.stream().map(SimResult::placement).toList();
        List<String> stages = runs.get(0).stages().stream().map(StageTime::stage).toList();
        List<ChartSpec.Series> series = new ArrayList<>();
        for (String stage : stages) {
            List<Double> values = new ArrayList<>();
            for (SimResult r : runs) {
                values.add(r.stages().stream().filter(s -> s.stage().equals(stage)).mapToDouble(timeUs).sum() / 1e3);
            }
            series.add(new ChartSpec.Series(stage, values));
        }
        return new ChartSpec.Bars(title, "placement", "time per step (ms)", placements, series, true, Double.NaN, "");
    }
}
