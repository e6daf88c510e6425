package org.mohge.placement.solver;

import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluator;

/**
 * What a GPU holding a list of copies costs, for the descent: its exact expert time per profiled
 * layer (the evaluator's figure, through {@link LayerOps}), its HBM for the copies and whether
 * they fit, and the all-to-all time of the tokens it receives.
 */
final class CopyPricing {
    private final CopyCostTable costs;
    private final LayerOps ops;
    private final double[][] layerTokens;
    private final double[] meanTokens;
    private final int[] hidden;

    CopyPricing(PlacementEvaluator evaluator) {
        PlacementProblem problem = evaluator.problem();
        this.costs = evaluator.costs();
        this.ops = new LayerOps(problem.model(), evaluator.costModel());
        this.layerTokens = problem.layerExpertTokens();
        this.meanTokens = new double[layerTokens[0].length];
        for (double[] tokens : layerTokens) {
            for (int e = 0; e < meanTokens.length; e++) {
                meanTokens[e] += tokens[e] / layerTokens.length;
            }
        }
        List<ExpertShape> shapes = problem.model().moe().expertShapes();
        this.hidden = new int[shapes.size()];
        for (ExpertShape s : shapes) {
            hidden[s.index()] = s.hidden();
        }
    }

    CopyCostTable costs() {
        return costs;
    }

    int layers() {
        return layerTokens.length;
    }

    /** Tokens of {@code expert}, averaged over the profiled layers. */
    double meanTokens(int expert) {
        return meanTokens[expert];
    }

    /** Exact expert time of layer {@code l} on a GPU holding {@code copies}. */
    double timeUs(List<CopyOnGpu> copies, int l) {
        int n = copies.size();
        if (n == 0) {
            return 0;
        }
        double[] tokens = new double[n];
        int[] h = new int[n];
        for (int i = 0; i < n; i++) {
            CopyOnGpu c = copies.get(i);
            tokens[i] = layerTokens[l][c.expert()] * c.share();
            h[i] = hidden[c.expert()];
        }
        return ops.experts(tokens, h).timeUs();
    }

    /** Dispatch-and-combine time of the tokens the copies receive. */
    double commUs(List<CopyOnGpu> copies) {
        double sum = 0;
        for (CopyOnGpu c : copies) {
            sum += costs.copyCommUs(c.expert(), 1) * c.share();
        }
        return sum;
    }

    /** Within the copy slots and the HBM a GPU has for expert copies (activations by each copy's share). */
    boolean fits(List<CopyOnGpu> copies) {
        if (copies.size() > costs.maxExpertsPerGpu()) {
            return false;
        }
        double bytes = 0;
        for (CopyOnGpu c : copies) {
            bytes += costs.copyBytesForShare(c.expert(), c.share());
        }
        return bytes <= costs.expertBudgetBytes();
    }
}
