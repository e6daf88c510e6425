package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * Grouped-query attention: {@code heads} query heads share {@code kvHeads} key/value heads.
 * Weights: Q {@code d x h*hd}, K and V {@code d x kv*hd}, O {@code h*hd x d}; {@code qkNorm}
 * adds Qwen3-style per-head RMSNorms on q and k (two vectors of {@code headDim}).
 */
public record GqaAttention(@JsonProperty(required = true) int heads, @JsonProperty(required = true) int kvHeads, @JsonProperty(required = true) int headDim, Boolean qkNorm) implements AttentionSpec {

    public GqaAttention {
        Require.positive(heads, "heads");
        Require.positive(kvHeads, "kvHeads");
        Require.positive(headDim, "headDim");
        Require.check(kvHeads <= heads, "kvHeads", "must be <= heads (" + heads + "), got " + kvHeads);
        Require.check(heads % kvHeads == 0, "kvHeads", "must divide heads (" + heads + "), got " + kvHeads);
        qkNorm = Require.orDefault(qkNorm, Boolean.FALSE);
    }

    public GqaAttention(int heads, int kvHeads, int headDim) {
        this(heads, kvHeads, headDim, false);
    }

    @Override
    public long params(int modelHidden) {
        long q = (long) modelHidden * heads * headDim;
        long kv = 2L * modelHidden * kvHeads * headDim;
        long o = (long) heads * headDim * modelHidden;
        return q + kv + o + normParams();
    }

    @Override
    public long normParams() {
        return qkNorm ? 2L * headDim : 0;
    }

    @Override
    public int qkHeadDim() {
        return headDim;
    }

    @Override
    public int vHeadDim() {
        return headDim;
    }

    @Override
    public long kvCacheBytesPerToken(int bytesPerValue) {
        return 2L * kvHeads * headDim * bytesPerValue;
    }
}
