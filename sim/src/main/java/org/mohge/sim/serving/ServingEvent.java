package org.mohge.sim.serving;

import org.mohge.sim.core.ExternalEvent;

/** Events of the serving engine: an arrival, an iteration's end, a KV transfer's end. */
public sealed interface ServingEvent extends ExternalEvent
        permits RequestArrivalEvent, IterationEndEvent, KvTransferEndEvent {
}
