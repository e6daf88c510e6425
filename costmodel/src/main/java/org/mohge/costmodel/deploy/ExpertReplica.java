package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/** One copy of an expert: the GPU that holds it and the share of the expert's tokens it serves. */
public record ExpertReplica(@JsonProperty(required = true) int gpu, @JsonProperty(required = true) double share) {
    public ExpertReplica {
        Require.nonNegative(gpu, "gpu");
        Require.inRange(share, 0.0, 1.0, "share");
    }
}
