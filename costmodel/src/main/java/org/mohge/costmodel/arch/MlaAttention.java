package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * DeepSeek-style multi-head latent attention (DeepSeek-V2/V3 {@code modeling_deepseek.py}).
 * Weights, for model width d and h heads:
 * <ul>
 *   <li>queries: {@code d x qLoraRank} down, RMSNorm(qLoraRank), {@code qLoraRank x h*(nope+rope)} up;
 *       with {@code qLoraRank = 0} a single {@code d x h*(nope+rope)} projection;</li>
 *   <li>keys/values: {@code d x (kvLoraRank + rope)} down (the rope part is the shared key),
 *       RMSNorm(kvLoraRank), {@code kvLoraRank x h*(nope + vHeadDim)} up;</li>
 *   <li>output: {@code h*vHeadDim x d}.</li>
 * </ul>
 * The KV cache holds the latent plus the rope key: {@code kvLoraRank + rope} values per token.
 */
public record MlaAttention(@JsonProperty(required = true) int heads, int qLoraRank, @JsonProperty(required = true) int kvLoraRank, @JsonProperty(required = true) int qkNopeHeadDim, int qkRopeHeadDim,
                           @JsonProperty(required = true) int vHeadDim) implements AttentionSpec {

    public MlaAttention {
        Require.positive(heads, "heads");
        Require.nonNegative(qLoraRank, "qLoraRank");
        Require.positive(kvLoraRank, "kvLoraRank");
        Require.positive(qkNopeHeadDim, "qkNopeHeadDim");
        Require.nonNegative(qkRopeHeadDim, "qkRopeHeadDim");
        Require.positive(vHeadDim, "vHeadDim");
    }

    @Override
    public long params(int modelHidden) {
        long qHead = (long) heads * qkHeadDim();
        long q = qLoraRank == 0
                ? (long) modelHidden * qHead
                : (long) modelHidden * qLoraRank + (long) qLoraRank * qHead;
        long kvDown = (long) modelHidden * (kvLoraRank + qkRopeHeadDim);
        long kvUp = (long) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
        long o = (long) heads * vHeadDim * modelHidden;
        return q + kvDown + kvUp + o + normParams();
    }

    @Override
    public long normParams() {
        return (qLoraRank == 0 ? 0 : qLoraRank) + (long) kvLoraRank;
    }

    @Override
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }

    @Override
    public long kvCacheBytesPerToken(int bytesPerValue) {
        return (long) (kvLoraRank + qkRopeHeadDim) * bytesPerValue;
    }
}
