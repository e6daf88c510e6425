package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.SplittableRandom;
import org.mohge.costmodel.spec.Require;

/** A distribution of token counts (prompt or output length) for synthetic arrivals. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LengthSpec.Fixed.class, name = "fixed"),
    @JsonSubTypes.Type(value = LengthSpec.Uniform.class, name = "uniform"),
    @JsonSubTypes.Type(value = LengthSpec.Lognormal.class, name = "lognormal")
})
public sealed interface LengthSpec permits LengthSpec.Fixed, LengthSpec.Uniform, LengthSpec.Lognormal {

    /** One draw, at least 1. */
    int draw(SplittableRandom rng);

    /** Mean of the distribution (for sizing and reports). */
    double meanTokens();

    record Fixed(@JsonProperty(required = true) int tokens) implements LengthSpec {
        public Fixed {
            Require.positive(tokens, "tokens");
        }

        @Override
        public int draw(SplittableRandom rng) {
            return tokens;
        }

        @Override
        public double meanTokens() {
            return tokens;
        }
    }

    /** Integers from {@code minTokens} to {@code maxTokens}, both included, equally likely. */
    record Uniform(@JsonProperty(required = true) int minTokens, @JsonProperty(required = true) int maxTokens)
            implements LengthSpec {
        public Uniform {
            Require.positive(minTokens, "minTokens");
            Require.check(maxTokens >= minTokens, "maxTokens", "must be >= minTokens (" + minTokens + "), got "
                    + maxTokens);
        }

        @Override
        public int draw(SplittableRandom rng) {
            return minTokens + rng.nextInt(maxTokens - minTokens + 1);
        }

        @Override
        public double meanTokens() {
            return (minTokens + maxTokens) / 2.0;
        }
    }

    /** {@code round(medianTokens * exp(sigma * Z))}, clamped to [1, maxTokens]. */
    record Lognormal(@JsonProperty(required = true) double medianTokens, @JsonProperty(required = true) double sigma,
                     @JsonProperty(required = true) int maxTokens) implements LengthSpec {
        public Lognormal {
            Require.positive(medianTokens, "medianTokens");
            Require.nonNegative(sigma, "sigma");
            Require.positive(maxTokens, "maxTokens");
        }

        @Override
        public int draw(SplittableRandom rng) {
            double z = Gaussian.next(rng);
            long v = Math.round(medianTokens * Math.exp(sigma * z));
            return (int) Math.max(1, Math.min(maxTokens, v));
        }

        @Override
        public double meanTokens() {
            return Math.min(maxTokens, medianTokens * Math.exp(sigma * sigma / 2));
        }
    }
}
