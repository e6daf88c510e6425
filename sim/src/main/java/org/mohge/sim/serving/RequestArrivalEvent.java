package org.mohge.sim.serving;

/** {@code arrival} reaches the load balancer. Only the next arrival is ever queued, so memory stays flat. */
public record RequestArrivalEvent(long timeNs, Arrival arrival) implements ServingEvent {
    @Override
    public Phase phase() {
        return Phase.READY;
    }
}
