/** Placement strategies behind one interface: the two built-in layouts, greedy, EPLB-style replication. */
package org.mohge.placement.strategy;
