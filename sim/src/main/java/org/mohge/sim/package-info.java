/**
 * The MoE step simulator: {@link org.mohge.sim.Simulator#run} turns a {@link org.mohge.sim.SimulationInput}
 * (model, cluster, workload, routing, placement, cost model, seed) into a
 * {@link org.mohge.sim.metrics.SimResult}.
 */
package org.mohge.sim;
