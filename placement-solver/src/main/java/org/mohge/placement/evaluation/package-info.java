/** Judges a placement with the cost model: per-GPU expert time, memory, traffic and lower bounds. */
package org.mohge.placement.evaluation;
