/** The simulator's core: a clock, a deterministic event queue, the loop, and the step program runner. */
package org.mohge.sim.core;
