package org.mohge.sim.routing;

import java.util.Map;

/**
 * A compact routing trace: for each MoE layer, how many of {@code tokens} tokens took each expert.
 */
public record CountsTrace(long tokens, Map<Integer, double[]> layerCounts) implements RoutingTrace {
}
