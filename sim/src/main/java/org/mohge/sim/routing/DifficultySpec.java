package org.mohge.sim.routing;

import org.mohge.costmodel.spec.Require;

/**
 * Distribution of token difficulty in [0, 1]: Beta({@code alpha}, {@code beta}); both default to
 * 2 (a hump centred on 0.5). Hard tokens (near 1) prefer large experts, easy ones small experts.
 */
public record DifficultySpec(Double alpha, Double beta) {
    public DifficultySpec {
        alpha = Require.orDefault(alpha, 2.0);
        Require.positive(alpha, "alpha");
        beta = Require.orDefault(beta, 2.0);
        Require.positive(beta, "beta");
    }

    public static DifficultySpec defaults() {
        return new DifficultySpec(null, null);
    }
}
