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
     * Bytes one token keeps for one layer of {@code model} on a rank of {@code layout} with
     * 16-bit activations; {@code moeLayer} picks the FFN kind.
     */
    public static double layerBytesPerToken(ModelSpec model, ParallelLayout layout, boolean moeLayer) {
        return layerBytesPerToken(model, layout, moeLayer, VALUE_BYTES);
    }

    /**
     * As above with the inputs of the linear layers kept in {@code gemmInputBytes} per value (FP8
     * recipes cache the FP8 copy a GEMM read, Transformer Engine style). Selective recompute keeps
     * only what a GEMM or the attention core must read back (the residual stream at the norms, GEMM
     * inputs, MLA's latents, the up-projections' output) and recomputes the cheap rest: norm
     * outputs, MLA's up-projections (and so q, k, v), the activation function's output.
     */
    public static double layerBytesPerToken(ModelSpec model, ParallelLayout layout, boolean moeLayer,
                                            double gemmInputBytes) {
        int t = layout.tp();
        double h = model.hiddenSize();
        double replicatedDivisor = layout.sequenceParallel() ? t : 1;
        if (layout.recompute() == Recompute.FULL) {
            return VALUE_BYTES * h / replicatedDivisor;
        }
        boolean selective = layout.recompute() == Recompute.SELECTIVE;
        MoeLayerSpec moe = model.moe();
        // Residual stream at the two norms; the norms' outputs (attention and FFN inputs) unless recomputed.
        double bytes = (2 * h * VALUE_BYTES + (selective ? 0 : 2 * h * gemmInputBytes)) / replicatedDivisor;
        AttentionSpec attention = model.attention();
        double coreOutput = (double) attention.heads() * attention.vHeadDim();
        bytes += coreOutput * gemmInputBytes / t;
        bytes += (selective ? recomputeKeptAttentionValues(attention) : attentionValues(attention) - coreOutput)
                * VALUE_BYTES / t;
        double ffn;
        if (!moeLayer) {
            ffn = ffnBytes(model.denseFfnHidden() / (double) t, model.denseActivation().matrices() - 1, selective,
                    gemmInputBytes);
        } else {
            int upMatrices = moe.activation().matrices() - 1;
            double meanHidden = 0;
            for (var e : moe.expertShapes()) {
                meanHidden += e.hidden();
            }
            meanHidden /= moe.expertCount();
            // Each routed copy: its permuted input row and the expert's intermediates (split by etp).
            // A rank's MoE layer takes 1/t of its tokens (Megatron requires sequence parallelism
            // with MoE and TP) times the etp ranks' of its expert-tensor group: etp / t copies
            // of each token's top-k rows.
            ffn = moe.routedExpertsPerToken() * (double) layout.etp() / t * (h * gemmInputBytes
                    + ffnBytes(meanHidden / layout.etp(), upMatrices, selective, gemmInputBytes))
                    + moe.sharedExperts() * ffnBytes(moe.sharedExpertHidden() / (double) t, upMatrices, selective,
                    gemmInputBytes)
                    + (double) ROUTER_VALUE_BYTES * moe.routerParams(model.hiddenSize()) / model.hiddenSize();
        }
        return bytes + ffn;
    }

    /** An FFN of hidden f: the up-projections' outputs, and the activation's output (down-projection input). */
    private static double ffnBytes(double f, int upMatrices, boolean selective, double gemmInputBytes) {
        return upMatrices * f * VALUE_BYTES + (selective ? 0 : f * gemmInputBytes);
    }

    /** What selective recompute keeps of attention besides the core output: MLA's latents, else q, k, v. */
    static double recomputeKeptAttentionValues(AttentionSpec attention) {
        if (attention instanceof MlaAttention mla) {
            return mla.qLoraRank() + mla.kvLoraRank() + mla.qkRopeHeadDim();
        }
        return attentionValues(attention) - (double) attention.heads() * attention.vHeadDim();
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
