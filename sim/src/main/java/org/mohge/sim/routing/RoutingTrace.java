package org.mohge.sim.routing;

/**
 * A routing trace read from a file: per-token decisions ({@link TokenTrace}) or per-layer expert
 * counts ({@link CountsTrace}). Sealed, so a router built from a trace handles both kinds.
 */
public sealed interface RoutingTrace permits TokenTrace, CountsTrace {
}
