package org.mohge.sim.core;

/** Op {@code op} finishes on GPU {@code gpu} at {@code timeNs}, releasing its compute stream or link ports. */
public record OpEndEvent(long timeNs, int op, int gpu) implements SimEvent {
    @Override
    public Phase phase() {
        return Phase.END;
    }
}
