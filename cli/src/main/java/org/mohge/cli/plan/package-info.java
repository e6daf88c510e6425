/** Capacity-planning sweeps: the sweep file, its points, their evaluation (locally or on Spark), the Pareto front and the cheapest design that meets a target. */
package org.mohge.cli.plan;
