package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/** A request meets the SLO when its time to first token and its mean time per output token are within these. */
public record SloSpec(@JsonProperty(required = true) double ttftMs, @JsonProperty(required = true) double tpotMs) {
    public SloSpec {
        Require.positive(ttftMs, "ttftMs");
        Require.positive(tpotMs, "tpotMs");
    }
}
