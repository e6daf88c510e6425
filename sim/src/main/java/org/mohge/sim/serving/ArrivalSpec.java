package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.mohge.costmodel.spec.Require;

/**
 * How requests arrive: a Poisson process, a Gamma renewal process with a burstiness (the
 * coefficient of variation of the gaps; 1 is Poisson, above 1 burstier), or a trace file whose
 * rows also carry the request lengths.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ArrivalSpec.Poisson.class, name = "poisson"),
    @JsonSubTypes.Type(value = ArrivalSpec.Gamma.class, name = "gamma"),
    @JsonSubTypes.Type(value = ArrivalSpec.Trace.class, name = "trace")
})
public sealed interface ArrivalSpec permits ArrivalSpec.Poisson, ArrivalSpec.Gamma, ArrivalSpec.Trace {

    /** Exponential gaps of mean {@code 1 / ratePerSecond}. */
    record Poisson(@JsonProperty(required = true) double ratePerSecond) implements ArrivalSpec {
        public Poisson {
            Require.positive(ratePerSecond, "ratePerSecond");
        }
    }

    /** Gamma gaps of mean {@code 1 / ratePerSecond} and coefficient of variation {@code burstiness}. */
    record Gamma(@JsonProperty(required = true) double ratePerSecond, @JsonProperty(required = true) double burstiness)
            implements ArrivalSpec {
        public Gamma {
            Require.positive(ratePerSecond, "ratePerSecond");
            Require.positive(burstiness, "burstiness");
        }
    }

    /**
     * Rows of {@code arrivalTimeMs, promptTokens, outputTokens[, cachedTokens]}: a CSV file with
     * that header, or JSON Lines with those keys; {@code path} is resolved against the scenario's
     * folder. Arrival times must not decrease.
     */
    record Trace(@JsonProperty(required = true) String path) implements ArrivalSpec {
        public Trace {
            Require.text(path, "path");
        }
    }
}
