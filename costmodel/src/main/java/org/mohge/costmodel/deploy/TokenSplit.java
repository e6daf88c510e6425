package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How an expert's tokens are split between its copies ({@code placement.split}): {@link #EQUAL}
 * (the default: what round-robin and hashed dispatchers do, each copy serves the same share) or
 * {@link #WEIGHTED} (each copy its own share; needs a runtime with weighted dispatch).
 */
public enum TokenSplit {
    @JsonProperty("equal")
    EQUAL,
    @JsonProperty("weighted")
    WEIGHTED;

    /** The name scenarios use. */
    public String scenarioName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
