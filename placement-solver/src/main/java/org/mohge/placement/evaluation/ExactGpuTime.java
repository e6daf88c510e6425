package org.mohge.placement.evaluation;

import java.util.List;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.domain.CopyLoad;
import org.mohge.placement.domain.GpuTimeFunction;

/**
 * A GPU's exact expert time for the solver: {@link ExpertStageTime} over the copies it holds
 * (each serving {@code 1 / copies} of its expert's tokens), averaged over the profiled layers, in
 * units of {@code quantumUs}. The same figure the {@link PlacementEvaluator} reports.
 */
public final class ExactGpuTime implements GpuTimeFunction {
    private final ExpertStageTime stage;
    private final double quantumUs;

    public ExactGpuTime(PlacementProblem problem, CostModel costModel, double quantumUs) {
        this.stage = new ExpertStageTime(problem, costModel);
        this.quantumUs = quantumUs;
    }

    @Override
    public long timeUnits(List<CopyLoad> copies) {
        return Math.round(timeUs(copies) / quantumUs);
    }

    public double timeUs(List<CopyLoad> copies) {
        int n = copies.size();
        int[] h = new int[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = stage.hidden(copies.get(i).expert().getId());
        }
        double sum = 0;
        for (int l = 0; l < stage.layers(); l++) {
            for (int i = 0; i < n; i++) {
                CopyLoad c = copies.get(i);
                t[i] = stage.tokens(l, c.expert().getId()) / c.copies();
            }
            sum += stage.timeUs(t, h);
        }
        return sum / stage.layers();
    }
}
