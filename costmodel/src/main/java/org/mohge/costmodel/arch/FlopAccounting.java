package org.mohge.costmodel.arch;

/**
 * Forward FLOPs per token. Every matrix multiply costs 2 FLOPs per weight it applies; the
 * embedding lookup costs none; attention adds its score and value products over the mean
 * attended context. Element-wise work (norms, softmax, activations) is left out: it is under 1%
 * of the total for these shapes and its time is memory-bound, which the cost model treats apart.
 */
public final class FlopAccounting {
    private FlopAccounting() {
    }

    /** Mean attended context for causal attention over sequences of {@code sequenceLength} tokens. */
    public static double causalMeanContext(int sequenceLength) {
        return (sequenceLength + 1) / 2.0;
    }

    public static double forwardFlopsPerToken(ModelSpec model, double[] expertShares, double meanContext) {
        int d = model.hiddenSize();
        double perLayerAttention = 2.0 * model.attention().matmulParams(d)
                + model.attention().coreFlopsPerToken(meanContext);
        double dense = 2.0 * model.denseActivation().ffnParams(d, model.denseFfnHidden());
        MoeLayerSpec moe = model.moe();
        double moeFfn = model.isDense() ? 0 : 2.0 * (moe.routerParams(d) + moe.sharedExpertParams(d)
                + moe.activatedRoutedParams(d, expertShares));
        double lmHead = 2.0 * model.vocabSize() * (double) d;
        return model.layers() * perLayerAttention + model.denseLayers() * dense + model.moeLayers() * moeFfn + lmHead;
    }

    /**
     * Forward FLOPs per token of causal training on sequences of {@code sequenceLength}, each
     * layer's attention over its own mean attended keys (sliding-window layers attend fewer).
     */
    public static double trainingForwardFlopsPerToken(ModelSpec model, int sequenceLength) {
        double full = causalMeanContext(sequenceLength);
        double coreCorrection = 0;
        for (int l = 0; l < model.layers(); l++) {
            coreCorrection += model.attention().coreFlopsPerToken(model.attention().meanKeys(l, sequenceLength))
                    - model.attention().coreFlopsPerToken(full);
        }
        return forwardFlopsPerToken(model, full) + coreCorrection;
    }

    public static double forwardFlopsPerToken(ModelSpec model, double meanContext) {
        return forwardFlopsPerToken(model, ParamAccounting.defaultShares(model), meanContext);
    }
}
