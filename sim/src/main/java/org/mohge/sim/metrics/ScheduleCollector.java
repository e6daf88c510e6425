package org.mohge.sim.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mohge.costmodel.cost.StageLabel;
import org.mohge.sim.core.Op;
import org.mohge.sim.core.OpKind;
import org.mohge.sim.core.Schedule;
import org.mohge.sim.core.StepProgram;

/**
 * Sums over the steps' schedules: each step's time, and per GPU the time in each stage (forward
 * and backward), on the compute stream, on the links, and idle (neither).
 */
public final class ScheduleCollector implements SimListener {
    private final int gpus;
    final List<StageLabel> stageOrder;
    private final Map<StageLabel, Integer> stageIndex = new HashMap<>();
    final double[][][] stageNs;
    final double[] computeNs;
    final double[] commNs;
    final double[] idleNs;
    final List<Double> stepTimesUs = new ArrayList<>();

    /** {@code stageOrder}: every stage an op may carry, in report order. */
    public ScheduleCollector(List<StageLabel> stageOrder, int gpus) {
        this.gpus = gpus;
        this.stageOrder = List.copyOf(stageOrder);
        for (int i = 0; i < stageOrder.size(); i++) {
            stageIndex.put(stageOrder.get(i), i);
        }
        stageNs = new double[stageOrder.size()][2][gpus];
        computeNs = new double[gpus];
        commNs = new double[gpus];
        idleNs = new double[gpus];
    }

    @Override
    public void onStepScheduled(Schedule schedule) {
        stepTimesUs.add(schedule.makespanNs() / 1000.0);
        StepProgram program = schedule.program();
        int n = program.size();
        long[][] starts = new long[gpus][n];
        long[][] ends = new long[gpus][n];
        for (Op op : program.ops()) {
            int si = stageIndex.get(op.stage());
            int dir = op.backward() ? 1 : 0;
            for (int g = 0; g < gpus; g++) {
                long start = schedule.start(op.id(), g);
                long end = schedule.end(op.id(), g);
                long dur = end - start;
                stageNs[si][dir][g] += dur;
                if (op.kind() == OpKind.COMPUTE) {
                    computeNs[g] += dur;
                } else {
                    commNs[g] += dur;
                }
                starts[g][op.id()] = start;
                ends[g][op.id()] = end;
            }
        }
        for (int g = 0; g < gpus; g++) {
            idleNs[g] += schedule.makespanNs() - union(starts[g], ends[g]);
        }
    }

    /** Length of the union of intervals [start_i, end_i). */
    public static long union(long[] starts, long[] ends) {
        int n = starts.length;
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {starts[i], ends[i]};
        }
        Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] pr : pairs) {
            if (pr[1] <= pr[0]) {
                continue;
            }
            if (pr[0] > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = pr[0];
                curEnd = pr[1];
            } else {
                curEnd = Math.max(curEnd, pr[1]);
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }
}
