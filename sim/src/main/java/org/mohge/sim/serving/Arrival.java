package org.mohge.sim.serving;

/** One request as it arrives: when, its prompt and output lengths, and prompt tokens already cached (prefix hits). */
public record Arrival(long timeNs, int promptTokens, int outputTokens, int cachedTokens) {
    public Arrival {
        if (promptTokens <= 0 || outputTokens <= 0 || cachedTokens < 0 || cachedTokens >= promptTokens) {
            throw new IllegalArgumentException("arrival needs promptTokens > 0, outputTokens > 0 and 0 <= cachedTokens"
                    + " < promptTokens, got " + promptTokens + ", " + outputTokens + ", " + cachedTokens);
        }
    }
}
