package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an expert's tokens are split between its copies ({@code placement.split}): {@link #EQUAL}
 * (the default: what round-robin and hashed dispatchers do, each copy serves the same share) or
 * {@link #WEIGHTED} (each copy its own share; needs a runtime with weighted dispatch).
 */
public enum TokenSplit {
    EQUAL,
    WEIGHTED;

    @JsonValue
    public String scenarioName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TokenSplit of(String name) {
        for (TokenSplit split : values()) {
            if (split.scenarioName().equals(name)) {
                return split;
            }
        }
        throw new IllegalArgumentException("split must be 'equal' or 'weighted', got '" + name + "'");
    }
}
