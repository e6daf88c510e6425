/** Where routed token copies go: the expert-parallel traffic of one MoE layer, priced per GPU. */
package org.mohge.sim.traffic;
