/** Speed benchmarks of the simulator: main classes that print figures (not tests). */
package org.mohge.sim.bench;
