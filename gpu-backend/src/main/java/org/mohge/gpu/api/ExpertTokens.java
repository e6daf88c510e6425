package org.mohge.gpu.api;

/** Tokens (rows of X) routed to routed expert {@code expert}, each with its gate weight. */
public record ExpertTokens(int expert, int[] tokens, float[] weights) {
    public ExpertTokens {
        if (expert < 0) {
            throw new IllegalArgumentException("expert must be >= 0, got " + expert);
        }
        if (tokens.length != weights.length) {
            throw new IllegalArgumentException("tokens and weights must have the same length");
        }
    }
}
