package org.mohge.sim.routing;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * One named domain of a difficulty mixture (for example {@code code} or {@code chat}): a share
 * {@code weight} of the tokens (weights are normalised over all domains) whose difficulty is
 * Beta({@code alpha}, {@code beta}).
 */
public record DomainSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) double weight,
                         @JsonProperty(required = true) double alpha, @JsonProperty(required = true) double beta) {
    public DomainSpec {
        Require.text(name, "name");
        Require.positive(weight, "weight");
        Require.positive(alpha, "alpha");
        Require.positive(beta, "beta");
    }
}
