package org.mohge.sim.core;

import java.util.List;

/**
 * The loop: pop the next event, advance the clock, let the handler return follow-up events,
 * enqueue them. Nothing is static; one instance is one run.
 */
public final class Simulation {
    /** Reacts to one event; returns the events it causes (never in the past). */
    @FunctionalInterface
    public interface Handler {
        List<SimEvent> handle(SimEvent event);
    }

    private final EventQueue queue = new EventQueue();
    private final Handler handler;
    private long clockNs;
    private long processed;

    public Simulation(Handler handler) {
        this.handler = handler;
    }

    public void schedule(SimEvent event) {
        if (event.timeNs() < clockNs) {
            throw new IllegalStateException("event in the past: " + event + " at clock " + clockNs);
        }
        queue.add(event);
    }

    /** Runs until no event is left; returns the time of the last event. */
    public long run() {
        while (!queue.isEmpty()) {
            SimEvent event = queue.poll();
            clockNs = event.timeNs();
            processed++;
            for (SimEvent next : handler.handle(event)) {
                schedule(next);
            }
        }
        return clockNs;
    }

    public long clockNs() {
        return clockNs;
    }

    public long processedEvents() {
        return processed;
    }
}
