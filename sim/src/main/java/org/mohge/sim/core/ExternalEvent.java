package org.mohge.sim.core;

/**
 * An event of an engine built on this core outside the step program (the serving engine): the
 * queue orders it by time and phase like any other; the engine's own sealed family lists its kinds.
 */
public non-sealed interface ExternalEvent extends SimEvent {
}
