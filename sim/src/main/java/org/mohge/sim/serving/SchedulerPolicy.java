package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Batch-forming policies; see {@link ContinuousBatchingScheduler} and {@link PrefillFirstScheduler}. */
public enum SchedulerPolicy {
    @JsonProperty("continuous") CONTINUOUS,
    @JsonProperty("prefill-first") PREFILL_FIRST
}
