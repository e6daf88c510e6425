package org.mohge.sim.serving;

/**
 * One request as it arrives: when, its prompt and output lengths, prompt tokens already cached
 * (prefix hits), and which shared prefix those belong to ({@code prefixId}; -1 when the source
 * does not say, then the hit is the request's own and its pages are not shared).
 */
public record Arrival(long timeNs, int promptTokens, int outputTokens, int cachedTokens, long prefixId) {
    public Arrival {
        if (promptTokens <= 0 || outputTokens <= 0 || cachedTokens < 0 || cachedTokens >= promptTokens) {
            throw new IllegalArgumentException("arrival needs promptTokens > 0, outputTokens > 0 and 0 <= cachedTokens"
                    + " < promptTokens, got " + promptTokens + ", " + outputTokens + ", " + cachedTokens);
        }
        if (prefixId < -1) {
            throw new IllegalArgumentException("prefixId must be >= 0, or -1 for none, got " + prefixId);
        }
    }

    /** An arrival whose prefix hit (if any) is not shared. */
    public Arrival(long timeNs, int promptTokens, int outputTokens, int cachedTokens) {
        this(timeNs, promptTokens, outputTokens, cachedTokens, -1);
    }
}
