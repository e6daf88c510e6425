/** Re-placing experts between simulated steps from the loads the simulation observed, under a move budget. */
package org.mohge.sim.rebalance;
