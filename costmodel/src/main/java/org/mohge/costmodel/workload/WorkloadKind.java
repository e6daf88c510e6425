package org.mohge.costmodel.workload;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Training steps run forward and backward and keep optimizer state; inference runs forward only. */
public enum WorkloadKind {
    @JsonProperty("training") TRAINING,
    @JsonProperty("inference") INFERENCE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
