package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import org.mohge.sim.core.Op;
import org.mohge.sim.core.Schedule;

/**
 * The timeline of one MoE layer's forward pass in the first micro-batch, one row per GPU: gaps
 * between bars are a GPU waiting for a straggler.
 */
public final class LayerTimelineChart {
    private static final int MAX_LANES = 32;

    private LayerTimelineChart() {
    }

    public static ChartSpec spec(Schedule schedule, int layer, String placement) {
        int gpus = Math.min(schedule.program().gpus(), MAX_LANES);
        List<Op> ops = schedule.program().ops().stream()
                .filter(op -> op.layer() == layer && op.microBatch() == 0 && !op.backward()).toList();
        long origin = Long.MAX_VALUE;
        for (Op op : ops) {
            for (int g = 0; g < gpus; g++) {
                origin = Math.min(origin, schedule.start(op.id(), g));
            }
        }
        List<String> lanes = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            lanes.add("GPU " + g);
        }
        List<ChartSpec.Task> tasks = new ArrayList<>();
        for (Op op : ops) {
            for (int g = 0; g < gpus; g++) {
                long start = schedule.start(op.id(), g);
                long end = schedule.end(op.id(), g);
                if (end > start) {
                    tasks.add(new ChartSpec.Task(g, op.stage().label(), (start - origin) / 1e3, (end - origin) / 1e3));
                }
            }
        }
        return new ChartSpec.Gantt("Layer " + layer + " under " + placement + " (forward, micro-batch 0)", "time (us)",
                lanes, tasks);
    }
}
