package org.mohge.sim.core;

/** Op {@code op} of the step program has all its inputs on GPU {@code gpu} at {@code timeNs}. */
public record OpReadyEvent(long timeNs, int op, int gpu) implements SimEvent {
    @Override
    public Phase phase() {
        return Phase.READY;
    }
}
