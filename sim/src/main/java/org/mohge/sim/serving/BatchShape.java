package org.mohge.sim.serving;

/**
 * What one iteration of a replica computes, summed over its attention ranks:
 * {@code prefillTokens} prompt tokens whose attention covers {@code prefillAttendedTokens}
 * (token, context) pairs in all; {@code decodeTokens} single-token steps that read
 * {@code decodeContextTokens} cached tokens in all; {@code logitRows} rows through the LM head.
 */
public record BatchShape(long prefillTokens, double prefillAttendedTokens, long decodeTokens,
                         double decodeContextTokens, long logitRows) {
    public long tokens() {
        return prefillTokens + decodeTokens;
    }
}
