package org.mohge.sim.serving;

/** A prefilled request's KV cache has left the prefill pool and reached the decode pool. */
public record KvTransferEndEvent(long timeNs, Request request) implements ServingEvent {
    @Override
    public Phase phase() {
        return Phase.END;
    }
}
