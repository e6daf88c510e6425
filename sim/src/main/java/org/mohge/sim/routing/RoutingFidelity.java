package org.mohge.sim.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** How finely routing is drawn: the scenario's {@code routing.fidelity} key and a sweep's override. */
public enum RoutingFidelity {
    /** One decision per token and layer. */
    @JsonProperty("exact") EXACT,
    /** Per-source-GPU expert counts drawn from the multinomial (much faster on big runs). */
    @JsonProperty("aggregate") AGGREGATE;

    /** The name as scenario files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
