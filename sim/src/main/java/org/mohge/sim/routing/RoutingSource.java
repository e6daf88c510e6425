package org.mohge.sim.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Where the routing decisions come from: the scenario's {@code routing.model} key. */
public enum RoutingSource {
    /** Drawn from the synthetic router ({@link SyntheticTables}). */
    @JsonProperty("synthetic") SYNTHETIC,
    /** Replayed from {@code routing.tracePath} ({@link RoutingTraces}). */
    @JsonProperty("trace") TRACE;

    /** The name as scenario files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
