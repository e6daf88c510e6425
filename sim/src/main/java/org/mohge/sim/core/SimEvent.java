package org.mohge.sim.core;

/**
 * An event of the step simulation. Events at the same time run in {@link Phase} order, then in
 * the order they were enqueued (see {@link EventQueue}).
 */
public sealed interface SimEvent permits OpEndEvent, OpReadyEvent, ExternalEvent {

    long timeNs();

    Phase phase();

    /** Same-time order: every resource is released (END) before waiting work is started (READY). */
    enum Phase {
        END,
        READY
    }
}
