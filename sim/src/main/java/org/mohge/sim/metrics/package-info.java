/** The simulator's results: immutable records built from the schedule and the routing counts. */
package org.mohge.sim.metrics;
