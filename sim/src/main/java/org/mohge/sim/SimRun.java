package org.mohge.sim;

import org.mohge.sim.core.Schedule;
import org.mohge.sim.metrics.SimResult;

/** A simulation's result plus the schedule of its first step (for traces). */
public record SimRun(SimResult result, Schedule firstStep) {
}
