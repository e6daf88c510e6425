package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/** A MoHGE group: {@code experts} experts that all have FFN hidden size {@code expertHidden}. */
public record ExpertGroup(@JsonProperty(required = true) int expertHidden, @JsonProperty(required = true) int experts) {
    public ExpertGroup {
        Require.positive(expertHidden, "expertHidden");
        Require.positive(experts, "experts");
        org.mohge.costmodel.spec.Limits.experts(experts, "experts");
    }
}
