package org.mohge.costmodel.cost;

/**
 * One FlashAttention-style call on one GPU: {@code queries} query tokens (summed over the
 * sequences of a batch) with {@code heads} query heads, each attending to {@code meanKeys} keys on
 * average ({@code (s + 1) / 2} for causal training on sequences of s, the window for sliding-window
 * layers). Forward FLOPs are the two matmuls {@code QK^T} and {@code PV}; the backward recomputes
 * the scores and runs three more, 2.5x the forward (the FlashAttention papers' count).
 */
public record AttentionShape(long queries, int heads, int qkHeadDim, int vHeadDim, double meanKeys) {
    public static final double BACKWARD_FLOPS_RATIO = 2.5;

    public double forwardFlops() {
        return 2.0 * queries * heads * (qkHeadDim + vHeadDim) * meanKeys;
    }

    public double backwardFlops() {
        return BACKWARD_FLOPS_RATIO * forwardFlops();
    }
}
