package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.MlaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * Activations a layer keeps for its backward pass, after Korthikanti et al., "Reducing Activation
 * Recomputation in Large Transformer Models" (arXiv 2205.05198), section 4.
 *
 * <p>{@link #korthikantiLayerBytes} is the paper's formula for its GPT layer (16-bit activations,
 * 1-byte dropout masks, the score matrix kept): sbh(34 + 5as/h) bytes per layer, with tensor
 * parallelism sbh(10 + 24/t + 5as/(ht)), with sequence parallelism too sbh(34/t + 5as/(ht)),
 * selective recompute dropping the 5as/h term, full recompute keeping only the layer input 2sbh.
 *
 * <p>{@link #layerBytesPerToken} extends the same tensor list to the layers this tool models:
 * FlashAttention keeps no score matrix (so selective recompute saves nothing more), no dropout,
 * GQA/MLA projections at their real widths, SwiGLU's two up-projections, and for MoE layers each
 * routed copy's permuted input and FFN intermediates, the shared experts and the fp32 router
 * logits. Terms the paper keeps replicated across the TP group (norm inputs, the attention and FFN
 * inputs) are divided by t only with sequence parallelism.
 */
public final class ActivationMemory {
    /** 16-bit activations. */
    private static final int VALUE_BYTES = 2;
    /** Router logits and probabilities are kept in fp32. */
    private static final int ROUTER_VALUE_BYTES = 4;

    private ActivationMemory() {
    }

    /**
     * The paper's bytes for one layer of sequence length {@code s}, micro-batch {@code b}, hidden
     * {@code h}, {@code a} heads on a TP group of {@code t}.
     */
    public static double korthikantiLayerBytes(long s, long b, long h, long a, int t, boolean sequenceParallel,
                                               Recompute recompute) {
        double sbh = (double) s * b * h;
        double scores = 5.0 * a * s / h;
        return switch (recompute) {
            case FULL -> 2 * sbh;
            case SELECTIVE -> sequenceParallel ? sbh * 34.0 / t : sbh * (10 + 24.0 / t);
            case NONE -> sequenceParallel ? sbh * (34.0 / t + scores / t) : sbh * (10 + 24.0 / t + scores / t);
        };
    }

    /**
     * Bytes one token keeps for one layer of {@code model} on a rank of {@code layout};
     * {@code moeLayer} picks the FFN kind.
     */
    public static double layerBytesPerToken(ModelSpec model, ParallelLayout layout, boolean moeLayer) {
        int t = layout.tp();
        double h = model.hiddenSize();
        double replicatedDivisor = layout.sequenceParallel() ? t : 1;
        if (layout.recompute() == Recompute.FULL) {
            return VALUE_BYTES * h / replicatedDivisor;
        }
        // Two norm inputs, the attention input and the FFN input.
        double replicated = 4 * h;
        double attention = attentionValues(model.attention()) / t;
        MoeLayerSpec moe = model.moe();
        int upMatrices = moe.activation().matrices() - 1;
        double ffn;
        double router = 0;
        if (!moeLayer) {
            ffn = (double) (upMatrices + 1) * model.denseFfnHidden() / t;
        } else {
            double meanHidden = 0;
            for (var e : moe.expertShapes()) {
                meanHidden += e.hidden();
            }
            meanHidden /= moe.expertCount();
            // Each routed copy: its permuted input row and the expert's intermediates (split by etp).
            ffn = moe.routedExpertsPerToken() * (h + (upMatrices + 1) * meanHidden / layout.etp())
                    + moe.sharedExperts() * (double) (upMatrices + 1) * moe.sharedExpertHidden() / t;
            router = (double) ROUTER_VALUE_BYTES / VALUE_BYTES * moe.routerParams(model.hiddenSize())
                    / model.hiddenSize();
        }
        return VALUE_BYTES * (replicated / replicatedDivisor + attention + ffn + router);
    }

    /** Values kept inside the attention block besides its input: q, k, v (and latents) and the core's output. */
    static double attentionValues(AttentionSpec attention) {
        if (attention instanceof GqaAttention gqa) {
            return (double) (gqa.heads() + 2 * gqa.kvHeads()) * gqa.headDim() + (double) gqa.heads() * gqa.headDim();
        }
        MlaAttention mla = (MlaAttention) attention;
        double latents = mla.qLoraRank() + mla.kvLoraRank() + mla.qkRopeHeadDim();
        double q = (double) mla.heads() * mla.qkHeadDim();
        double k = q;
        double v = (double) mla.heads() * mla.vHeadDim();
        return latents + q + k + v + v;
    }
}
