package org.mohge.sim.metrics;

import org.mohge.sim.core.Schedule;
import org.mohge.sim.traffic.MoeLayerTraffic;

/**
 * Observes a simulation as it goes (CloudSim Plus style): the traffic of each MoE layer of each
 * unit as it is routed, and each step's schedule once the event core has run it. Collectors
 * implement it and the {@link SimResultAssembler} reads them at the end.
 */
public interface SimListener {

    /** One unit's routing of one MoE layer; the record's arrays are valid only during the call. */
    default void onMoeLayerRouted(MoeLayerTraffic traffic) {
    }

    /** One step ran. */
    default void onStepScheduled(Schedule schedule) {
    }
}
