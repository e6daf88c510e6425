/**
 * Routing models: the synthetic two-level (MoHGE) and flat (uniform, HMoE) routers, trace replay,
 * and the expected loads the placement solver optimises for.
 */
package org.mohge.sim.routing;
