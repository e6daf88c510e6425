package org.mohge.sim.metrics;

/** Share of all routed expert activations that went to one size class (group) of the model. */
public record GroupUsage(int sizeClass, int expertHidden, int experts, double share) {
}
