package org.mohge.costmodel.cost;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.MlaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * Forward cost of each operation of a transformer layer on one GPU, built from the
 * {@link CostModel}'s primitives. Shared by the {@code cost} command, the simulator and the
 * placement evaluator so that all three price a layer the same way.
 *
 * <p>Backward: each GEMM is replayed twice (input gradient and weight gradient, same FLOPs) and
 * each memory-bound kernel reads and writes about twice as much, so {@link #backward} doubles a
 * forward cost. Attention's backward is modelled the same way (FlashAttention-2 does 2.5x the
 * forward FLOPs of the core; the projections dominate for the shapes here).
 */
public final class LayerOps {
    /** FP32 router logits and probabilities. */
    private static final int ROUTER_VALUE_BYTES = 4;

    private final ModelSpec model;
    private final CostModel costModel;
    private final DType dtype;
    private final DType gemmDtype;
    private final DType coreDtype;
    private final int d;

    public LayerOps(ModelSpec model, CostModel costModel) {
        this(model, costModel, model.dtype(), model.dtype());
    }

    /**
     * Prices with the linear layers' GEMMs (projections, FFNs, experts, router) in {@code gemmDtype}
     * and the attention core and LM head in {@code coreDtype}; activations stay in the model dtype.
     */
    public LayerOps(ModelSpec model, CostModel costModel, DType gemmDtype, DType coreDtype) {
        this.model = model;
        this.costModel = costModel;
        this.dtype = model.dtype();
        this.gemmDtype = gemmDtype;
        this.coreDtype = coreDtype;
        this.d = model.hiddenSize();
    }

    public CostModel costModel() {
        return costModel;
    }

    public ModelSpec model() {
        return model;
    }

    public static OpCost backward(OpCost forward) {
        return forward.times(2);
    }

    /** Bytes one token's hidden state takes on the wire (dispatch and combine send one per routed copy). */
    public double tokenBytes() {
        return (double) d * dtype.bytes();
    }

    /** RMSNorm, projections and the attention core for {@code tokens} tokens of mean context {@code meanContext}. */
    public OpCost attention(double tokens, double meanContext) {
        long m = ceil(tokens);
        if (m == 0) {
            return OpCost.ZERO;
        }
        AttentionSpec attention = model.attention();
        OpCost cost = costModel.memoryBound(2.0 * m * d * dtype.bytes());
        List<GemmShape> projections = new ArrayList<>();
        if (attention instanceof GqaAttention gqa) {
            projections.add(new GemmShape(m, (long) (gqa.heads() + 2 * gqa.kvHeads()) * gqa.headDim(), d));
        } else if (attention instanceof MlaAttention mla) {
            long qOut = (long) mla.heads() * mla.qkHeadDim();
            if (mla.qLoraRank() > 0) {
                projections.add(new GemmShape(m, mla.qLoraRank(), d));
                projections.add(new GemmShape(m, qOut, mla.qLoraRank()));
            } else {
                projections.add(new GemmShape(m, qOut, d));
            }
            projections.add(new GemmShape(m, mla.kvLoraRank() + mla.qkRopeHeadDim(), d));
            projections.add(new GemmShape(m, (long) mla.heads() * (mla.qkNopeHeadDim() + mla.vHeadDim()),
                    mla.kvLoraRank()));
        }
        for (GemmShape s : projections) {
            cost = cost.plus(costModel.gemm(s, gemmDtype));
        }
        cost = cost.plus(costModel.attentionForward(coreShape(m, meanContext), coreDtype));
        long outIn = (long) attention.heads() * attention.vHeadDim();
        return cost.plus(costModel.gemm(new GemmShape(m, d, outIn), gemmDtype));
    }

    /** The FlashAttention core (scores and values) of {@code m} queries of mean context {@code meanContext}. */
    private AttentionShape coreShape(long m, double meanContext) {
        AttentionSpec attention = model.attention();
        return new AttentionShape(m, attention.heads(), attention.qkHeadDim(), attention.vHeadDim(), meanContext);
    }

    /**
     * What the attention core's backward costs beyond twice its forward (the backward of every
     * other op): zero for a cost model without measured attention curves.
     */
    public double attentionCoreBackwardExtraUs(double tokens, double meanContext) {
        long m = ceil(tokens);
        if (m == 0) {
            return 0;
        }
        AttentionShape core = coreShape(m, meanContext);
        return costModel.attentionBackward(core, coreDtype).timeUs()
                - 2 * costModel.attentionForward(core, coreDtype).timeUs();
    }

    /**
     * Decode attention's read of the KV cache: {@code cachedTokens} tokens (summed over the
     * sequences of a batch) of one layer's keys and values, streamed from HBM once.
     */
    public OpCost kvCacheRead(double cachedTokens) {
        return costModel.memoryBound(cachedTokens * model.attention().kvCacheBytesPerToken(dtype.bytes()));
    }

    /** Dense FFN of the first {@code denseLayers} layers (every layer of a dense model). */
    public OpCost denseFfn(double tokens) {
        return ffn(new double[] {tokens}, new int[] {model.denseFfnHidden()}, model.denseActivation());
    }

    /** Router GEMM (fp32 logits) plus softmax and top-k over the logits. */
    public OpCost router(double tokens) {
        long m = ceil(tokens);
        if (m == 0) {
            return OpCost.ZERO;
        }
        MoeLayerSpec moe = model.moe();
        long logits = moe.routerParams(d) / d;
        OpCost gemm = costModel.gemm(new GemmShape(m, logits, d), coreDtype);
        return gemm.plus(costModel.memoryBound(2.0 * m * logits * ROUTER_VALUE_BYTES));
    }

    /** Counting-sort permutation of token copies into expert order: read and write each copy once. */
    public OpCost permute(double tokenCopies) {
        return costModel.memoryBound(2.0 * tokenCopies * tokenBytes());
    }

    /** Weighted un-permute: read each copy and its gate weight, write one combined row per token. */
    public OpCost unpermute(double tokenCopies, double tokens) {
        return costModel.memoryBound((tokenCopies + tokens) * tokenBytes());
    }

    /** Shared experts on every token of the GPU. */
    public OpCost sharedExperts(double tokens) {
        MoeLayerSpec moe = model.moe();
        if (moe.sharedExperts() == 0) {
            return OpCost.ZERO;
        }
        double[] t = new double[moe.sharedExperts()];
        int[] h = new int[moe.sharedExperts()];
        java.util.Arrays.fill(t, tokens);
        java.util.Arrays.fill(h, moe.sharedExpertHidden());
        return ffn(t, h, moe.activation());
    }

    /**
     * The routed experts one GPU hosts: local expert i receives {@code tokens[i]} tokens and has
     * hidden size {@code hidden[i]}. Two grouped GEMMs (gate+up, then down) around the activation.
     */
    public OpCost experts(double[] tokens, int[] hidden) {
        return ffn(tokens, hidden, model.moe().activation());
    }

    private OpCost ffn(double[] tokens, int[] hidden, Activation activation) {
        int upMatrices = activation.matrices() - 1;
        List<GemmShape> up = new ArrayList<>(tokens.length);
        List<GemmShape> down = new ArrayList<>(tokens.length);
        double activationBytes = 0;
        for (int i = 0; i < tokens.length; i++) {
            long m = ceil(tokens[i]);
            if (m == 0) {
                continue;
            }
            up.add(new GemmShape(m, (long) upMatrices * hidden[i], d));
            down.add(new GemmShape(m, d, hidden[i]));
            // SwiGLU reads gate and up, writes their product; GELU reads and writes one tensor.
            activationBytes += (double) m * hidden[i] * (upMatrices + 1) * dtype.bytes();
        }
        if (up.isEmpty()) {
            return OpCost.ZERO;
        }
        return costModel.groupedGemm(up, gemmDtype)
                .plus(costModel.memoryBound(activationBytes))
                .plus(costModel.groupedGemm(down, gemmDtype));
    }

    /** MLA's query and key/value up-projections for {@code m} tokens (zero for GQA), which selective recompute redoes. */
    public OpCost mlaUpProjection(double m) {
        if (!(model.attention() instanceof MlaAttention mla) || m <= 0) {
            return OpCost.ZERO;
        }
        long rows = (long) Math.ceil(m);
        OpCost cost = costModel.gemm(new GemmShape(rows, (long) mla.heads() * (mla.qkNopeHeadDim() + mla.vHeadDim()),
                mla.kvLoraRank()), gemmDtype);
        if (mla.qLoraRank() > 0) {
            cost = cost.plus(costModel.gemm(new GemmShape(rows, (long) mla.heads() * mla.qkHeadDim(), mla.qLoraRank()),
                    gemmDtype));
        }
        return cost;
    }

    /**
     * SwiGLU (GELU) over {@code values} intermediate values held in bf16, as selective recompute
     * redoes it: read gate and up ({@code matrices} tensors), write the product.
     */
    public OpCost activationFunction(double values, int matrices) {
        return costModel.memoryBound(values * matrices * 2);
    }

    /**
     * The element-wise kernels of one transformer layer that the blocks above do not price, each
     * its own launch reading and writing the tensors once: rotary embeddings on the queries and
     * keys, their RMSNorms when the model has QK-norm, the pre-FFN RMSNorm and the two residual
     * adds (two tensors read, one written).
     */
    public OpCost layerElementwise(double tokens) {
        return layerElementwise(tokens, tokens);
    }

    /**
     * {@link #layerElementwise(double)} where the head-split tensors (queries and keys: RoPE, QK-norm)
     * cover {@code tokens} and the hidden-sized ones (the pre-FFN norm, the residual adds)
     * {@code hiddenTokens}: under tensor parallelism without sequence parallelism every rank holds
     * 1/tp of the heads of all its tokens but the whole hidden state of each.
     */
    public OpCost layerElementwise(double tokens, double hiddenTokens) {
        long m = ceil(tokens);
        if (m == 0) {
            return OpCost.ZERO;
        }
        AttentionSpec attention = model.attention();
        double qkValues = (double) m * (attention.heads() + kvHeads(attention)) * attention.qkHeadDim();
        OpCost cost = costModel.memoryBound(2 * qkValues * dtype.bytes());
        if (attention instanceof GqaAttention gqa && gqa.qkNorm()) {
            cost = cost.plus(costModel.memoryBound(2 * qkValues * dtype.bytes()));
        }
        double hidden = (double) ceil(hiddenTokens) * d * dtype.bytes();
        return cost.plus(costModel.memoryBound(2 * hidden))
                .plus(costModel.memoryBound(3 * hidden))
                .plus(costModel.memoryBound(3 * hidden));
    }

    private static int kvHeads(AttentionSpec attention) {
        return attention instanceof GqaAttention gqa ? gqa.kvHeads() : attention.heads();
    }

    /**
     * FP8 current (per-tensor) scaling of {@code values} activations before an fp8 GEMM: one
     * kernel finds the tensor's absolute maximum (reads it), a second casts it (reads it, writes
     * one byte per value). Zero when the GEMMs do not run in fp8.
     */
    public OpCost quantize(double values) {
        if (gemmDtype != DType.FP8 || values <= 0) {
            return OpCost.ZERO;
        }
        return costModel.memoryBound(values * dtype.bytes())
                .plus(costModel.memoryBound(values * (dtype.bytes() + DType.FP8.bytes())));
    }

    /** Input values of the fp8 GEMMs of one layer's attention block for {@code tokens} tokens (QKV and output projections). */
    public double attentionGemmInputs(double tokens) {
        AttentionSpec attention = model.attention();
        return tokens * ((double) d + (double) attention.heads() * attention.vHeadDim());
    }

    /**
     * Cross-entropy over the LM head's logits, fused (vocab-parallel, as Megatron runs it): reads
     * the bf16 logits and writes their gradient in place, {@code tokens x vocab} values each way.
     */
    public OpCost crossEntropy(double tokens) {
        long m = ceil(tokens);
        if (m == 0) {
            return OpCost.ZERO;
        }
        return costModel.memoryBound(2.0 * m * model.vocabSize() * dtype.bytes());
    }

    /** Final norm and LM head over {@code tokens} tokens. */
    public OpCost lmHead(double tokens) {
        long m = ceil(tokens);
        if (m == 0) {
            return OpCost.ZERO;
        }
        return costModel.gemm(new GemmShape(m, model.vocabSize(), d), coreDtype);
    }

    private static long ceil(double tokens) {
        if (tokens < 0 || Double.isNaN(tokens)) {
            throw new IllegalArgumentException("token count must be >= 0, got " + tokens);
        }
        return (long) Math.ceil(tokens - 1e-9);
    }
}
