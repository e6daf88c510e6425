package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a pool picks the replica of a new request: in turn, or the one with the fewest requests in flight. */
public enum LoadBalancerPolicy {
    @JsonProperty("round-robin") ROUND_ROBIN,
    @JsonProperty("least-loaded") LEAST_LOADED
}
