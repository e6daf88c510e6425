package org.mohge.sim.routing;

import java.util.List;
import java.util.Map;

/**
 * A per-token routing trace: for each trace step and MoE layer, the experts of each token, in
 * token order ({@code experts[i]} lists token i's experts). Layers are MoE-layer indices
 * (0 = the first MoE layer).
 */
public record TokenTrace(Map<Integer, Map<Integer, List<int[]>>> stepLayerTokens) implements RoutingTrace {
}
