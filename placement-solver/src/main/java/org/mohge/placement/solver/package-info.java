/** The OptaPlanner strategy: solver configuration, seeding from the baselines, and the exact re-check. */
package org.mohge.placement.solver;
