package org.mohge.sim.serving;

/** The running iteration of replica {@code replica} (index over all pools) ends. */
public record IterationEndEvent(long timeNs, int replica) implements ServingEvent {
    @Override
    public Phase phase() {
        return Phase.END;
    }
}
