package org.mohge.placement.solver;

import java.util.List;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.ExpertStageTime;
import org.mohge.placement.evaluation.PlacementEvaluator;

/**
 * What a GPU holding a list of copies costs, for the descent: its exact expert time per profiled
 * layer ({@link ExpertStageTime}, the evaluator's figure), its HBM for the copies and whether
 * they fit, and the all-to-all time of the tokens it receives.
 */
final class CopyPricing {
    private final CopyCostTable costs;
    private final ExpertStageTime stage;
    private final double[] meanTokens;
    private final int maxCopiesPerGpu;

    /** {@code maxCopiesPerGpu}: the copy slots of a GPU, at most the problem's. */
    CopyPricing(PlacementEvaluator evaluator, int maxCopiesPerGpu) {
        this.costs = evaluator.costs();
        this.maxCopiesPerGpu = Math.min(maxCopiesPerGpu, costs.maxExpertsPerGpu());
        this.stage = new ExpertStageTime(evaluator.problem(), evaluator.costModel());
        this.meanTokens = new double[costs.expertCount()];
        for (int l = 0; l < stage.layers(); l++) {
            for (int e = 0; e < meanTokens.length; e++) {
                meanTokens[e] += stage.tokens(l, e) / stage.layers();
            }
        }
    }

    int layers() {
        return stage.layers();
    }

    /** Tokens of {@code expert}, averaged over the profiled layers. */
    double meanTokens(int expert) {
        return meanTokens[expert];
    }

    /** Exact expert time of layer {@code l} on a GPU holding {@code copies}. */
    double timeUs(List<CopyOnGpu> copies, int l) {
        int n = copies.size();
        double[] tokens = new double[n];
        int[] hidden = new int[n];
        for (int i = 0; i < n; i++) {
            CopyOnGpu c = copies.get(i);
            tokens[i] = stage.tokens(l, c.expert()) * c.share();
            hidden[i] = stage.hidden(c.expert());
        }
        return stage.timeUs(tokens, hidden);
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
        if (copies.size() > maxCopiesPerGpu) {
            return false;
        }
        double bytes = 0;
        for (CopyOnGpu c : copies) {
            bytes += costs.copyBytesForShare(c.expert(), c.share());
        }
        return bytes <= costs.expertBudgetBytes();
    }
}
