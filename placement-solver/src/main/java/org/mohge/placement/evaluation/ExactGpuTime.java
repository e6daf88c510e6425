package org.mohge.placement.evaluation;

import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.domain.CopyLoad;
import org.mohge.placement.domain.GpuTimeFunction;

/**
 * A GPU's exact expert time for the solver: {@link LayerOps#experts} over the copies it holds
 * (each serving {@code tokens / copies} of its expert's tokens), averaged over the profiled
 * layers, in units of {@code quantumUs}. The same figure the {@link PlacementEvaluator} reports.
 */
public final class ExactGpuTime implements GpuTimeFunction {
    private final LayerOps ops;
    private final double[][] layerTokens;
    private final int[] hidden;
    private final double quantumUs;

    public ExactGpuTime(PlacementProblem problem, CostModel costModel, double quantumUs) {
        this.ops = new LayerOps(problem.model(), costModel);
        this.layerTokens = problem.layerExpertTokens();
        List<ExpertShape> shapes = problem.model().moe().expertShapes();
        this.hidden = new int[shapes.size()];
        for (ExpertShape s : shapes) {
            hidden[s.index()] = s.hidden();
        }
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
        double sum = 0;
        for (double[] tokens : layerTokens) {
            for (int i = 0; i < n; i++) {
                CopyLoad c = copies.get(i);
                int e = c.expert().getId();
                h[i] = hidden[e];
                t[i] = tokens[e] / c.copies();
            }
            sum += ops.experts(t, h).timeUs();
        }
        return sum / layerTokens.length;
    }
}
