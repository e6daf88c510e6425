package org.mohge.gpu.api;

/**
 * The routing a forward pass took. Token {@code t} uses {@code expertsPerToken} routed experts
 * {@code expert(t, s)} with gate weights {@code weight(t, s)} (renormalised to sum to 1 over the
 * token's slots); slots are in selection order (best score first). For a two-level (grouped) gate,
 * {@code group(t, j)} are the kept groups, best first, and the slots are group by group in that
 * order; flat routers have {@code groupsPerToken == 0}.
 */
public record Routing(int tokens, int expertsPerToken, int[] experts, float[] weights, int groupsPerToken, int[] groups) {

    public Routing {
        if (experts.length != tokens * expertsPerToken || weights.length != experts.length) {
            throw new IllegalArgumentException("experts and weights must hold tokens * expertsPerToken entries");
        }
        if (groups.length != tokens * groupsPerToken) {
            throw new IllegalArgumentException("groups must hold tokens * groupsPerToken entries");
        }
    }

    public int expert(int token, int slot) {
        return experts[token * expertsPerToken + slot];
    }

    public float weight(int token, int slot) {
        return weights[token * expertsPerToken + slot];
    }

    public int group(int token, int j) {
        return groups[token * groupsPerToken + j];
    }

    /** Tokens routed to each expert (activations, not distinct tokens: a token counts once per slot). */
    public int[] tokensPerExpert(int expertCount) {
        int[] counts = new int[expertCount];
        for (int e : experts) {
            counts[e]++;
        }
        return counts;
    }
}
