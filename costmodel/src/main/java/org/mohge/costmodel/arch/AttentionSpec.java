package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The attention block of one transformer layer; parameters exclude the surrounding RMSNorms. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GqaAttention.class, name = "gqa"),
    @JsonSubTypes.Type(value = MlaAttention.class, name = "mla")
})
public sealed interface AttentionSpec permits GqaAttention, MlaAttention {

    /** Weights of the attention block for a model of width {@code modelHidden}. */
    long params(int modelHidden);

    /** Weights that take part in a matrix multiply per token (all of them, for attention). */
    default long matmulParams(int modelHidden) {
        return params(modelHidden) - normParams();
    }

    /** Norm weights inside the block (q/k norms, LoRA norms). */
    long normParams();

    /** Query heads. */
    int heads();

    /** Width of one query-key dot product. */
    int qkHeadDim();

    /** Width of one value head. */
    int vHeadDim();

    /** KV-cache bytes kept per token and layer at the given element size. */
    long kvCacheBytesPerToken(int bytesPerValue);

    /**
     * Mean keys a query of layer {@code layer} attends to in causal training over sequences of
     * {@code sequenceLength}: {@code (s + 1) / 2} unless the layer attends within a window.
     */
    default double meanKeys(int layer, int sequenceLength) {
        return FlopAccounting.causalMeanContext(sequenceLength);
    }

    /**
     * Score and value FLOPs per token: {@code 2 * heads * (qkHeadDim + vHeadDim) * context}. The
     * caller passes the mean attended context ({@code (seq + 1) / 2} for causal training).
     */
    default double coreFlopsPerToken(double meanContext) {
        return 2.0 * heads() * (qkHeadDim() + vHeadDim()) * meanContext;
    }
}
