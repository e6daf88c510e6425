package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * Grouped-query attention: {@code heads} query heads share {@code kvHeads} key/value heads.
 * Weights: Q {@code d x h*hd}, K and V {@code d x kv*hd}, O {@code h*hd x d}; {@code qkNorm}
 * adds Qwen3-style per-head RMSNorms on q and k (two vectors of {@code headDim}).
 * {@code slidingWindow} (tokens; absent or 0: none) makes layers attend only to that many most
 * recent tokens, except every {@code fullAttentionEvery}-th layer (the last of each group of that
 * many), which attends to the whole context: GPT-OSS alternates, window 128 and every 2nd layer
 * full; absent or 0, every layer slides.
 */
public record GqaAttention(@JsonProperty(required = true) int heads, @JsonProperty(required = true) int kvHeads, @JsonProperty(required = true) int headDim, Boolean qkNorm,
                           Integer slidingWindow, Integer fullAttentionEvery) implements AttentionSpec {

    public GqaAttention {
        Require.positive(heads, "heads");
        Require.positive(kvHeads, "kvHeads");
        Require.positive(headDim, "headDim");
        Require.check(kvHeads <= heads, "kvHeads", "must be <= heads (" + heads + "), got " + kvHeads);
        Require.check(heads % kvHeads == 0, "kvHeads", "must divide heads (" + heads + "), got " + kvHeads);
        qkNorm = Require.orDefault(qkNorm, Boolean.FALSE);
        slidingWindow = Require.orDefault(slidingWindow, 0);
        Require.nonNegative(slidingWindow, "slidingWindow");
        fullAttentionEvery = Require.orDefault(fullAttentionEvery, 0);
        Require.nonNegative(fullAttentionEvery, "fullAttentionEvery");
    }

    public GqaAttention(int heads, int kvHeads, int headDim) {
        this(heads, kvHeads, headDim, false);
    }

    public GqaAttention(int heads, int kvHeads, int headDim, Boolean qkNorm) {
        this(heads, kvHeads, headDim, qkNorm, 0, 0);
    }

    /** Whether layer {@code layer} (0-based) attends within the sliding window. */
    public boolean slides(int layer) {
        return slidingWindow > 0 && (fullAttentionEvery == 0 || (layer + 1) % fullAttentionEvery != 0);
    }

    /**
     * Causal training over sequences of s: query i (1-based) attends to min(i, w) keys in a
     * sliding layer, so the mean is {@code (w (w + 1) / 2 + (s - w) w) / s} once s exceeds w.
     */
    @Override
    public double meanKeys(int layer, int sequenceLength) {
        if (!slides(layer) || sequenceLength <= slidingWindow) {
            return AttentionSpec.super.meanKeys(layer, sequenceLength);
        }
        double w = slidingWindow;
        return (w * (w + 1) / 2 + (sequenceLength - w) * w) / sequenceLength;
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
