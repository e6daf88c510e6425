package org.mohge.placement.evaluation;

import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.placement.PlacementProblem;

/**
 * A GPU's exact expert-stage time in one profiled layer, from the tokens each of its copies
 * serves and the copies' hidden sizes: {@link LayerOps#experts}, with its tile and wave
 * quantization. The solver's max-time constraint ({@link ExactGpuTime}) and the descent price
 * through this, so they agree with each other and with the {@link PlacementEvaluator}.
 */
public final class ExpertStageTime {
    private final LayerOps ops;
    private final double[][] layerTokens;
    private final int[] hidden;

    public ExpertStageTime(PlacementProblem problem, CostModel costModel) {
        this.ops = new LayerOps(problem.model(), costModel);
        this.layerTokens = problem.layerExpertTokens();
        List<ExpertShape> shapes = problem.model().moe().expertShapes();
        this.hidden = new int[shapes.size()];
        for (ExpertShape s : shapes) {
            hidden[s.index()] = s.hidden();
        }
    }

    public int layers() {
        return layerTokens.length;
    }

    /** Tokens {@code expert} receives in profiled layer {@code layer}, per micro-batch. */
    public double tokens(int layer, int expert) {
        return layerTokens[layer][expert];
    }

    /** FFN hidden size of {@code expert}. */
    public int hidden(int expert) {
        return hidden[expert];
    }

    /**
     * Time of one layer on a GPU whose copy i receives {@code tokens[i]} tokens of an expert of
     * hidden size {@code hidden[i]} (callers fill the arrays once and reuse them over layers).
     */
    public double timeUs(double[] tokens, int[] hidden) {
        return tokens.length == 0 ? 0 : ops.experts(tokens, hidden).timeUs();
    }
}
