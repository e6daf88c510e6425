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
    @JsonSubTypes.Type(value = LengthSpec.Lognormal.class, name = "lognormal"),
    @JsonSubTypes.Type(value = LengthSpec.Sampled.class, name = "sampled")
})
public sealed interface LengthSpec permits LengthSpec.Fixed, LengthSpec.Uniform, LengthSpec.Lognormal,
        LengthSpec.Sampled {

    /** One draw, at least 1. */
    int draw(SplittableRandom rng);

    record Fixed(@JsonProperty(required = true) int tokens) implements LengthSpec {
        public Fixed {
            Require.positive(tokens, "tokens");
        }

        @Override
        public int draw(SplittableRandom rng) {
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

    }

    /** {@code round(medianTokens * exp(sigma * Z))}, clamped to [1, maxTokens]. */
    record Lognormal(@JsonProperty(required = true) double medianTokens, @JsonProperty(required = true) double sigma,
                     @JsonProperty(required = true) int maxTokens) implements LengthSpec {
        public Lognormal {
            Require.positive(medianTokens, "medianTokens");
            Require.nonNegative(sigma, "sigma");
            Require.positive(maxTokens, "maxTokens");
            // Above the cap more than half the draws would clamp to it: not the distribution described.
            Require.check(medianTokens <= maxTokens, "medianTokens", "must be <= maxTokens (" + maxTokens + "), got "
                    + (medianTokens == Math.rint(medianTokens) ? String.valueOf((long) medianTokens)
                    : String.valueOf(medianTokens)));
        }

        @Override
        public int draw(SplittableRandom rng) {
            double z = Gaussian.next(rng);
            long v = Math.round(medianTokens * Math.exp(sigma * z));
            return (int) Math.max(1, Math.min(maxTokens, v));
        }

    }

    /**
     * Lengths drawn uniformly from the rows of a request trace ({@code path}, CSV or JSONL as for
     * trace arrivals, resolved against the scenario's folder): its {@code promptTokens} column for
     * prompts, its {@code outputTokens} column for outputs. The file is read once, when the run
     * starts ({@link ArrivalSource#of}); the record only names it.
     */
    record Sampled(@JsonProperty(required = true) String path) implements LengthSpec {
        public Sampled {
            Require.text(path, "path");
        }

        @Override
        public int draw(SplittableRandom rng) {
            throw new IllegalStateException("sampled lengths are drawn by the arrival source, which reads " + path);
        }
    }
}
