package org.mohge.costmodel.deploy;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * The scenario's {@code placement} section. {@code use} is the placement simulated:
 * {@code contiguous} (default), {@code group-decoupled}, or the path of a placement file.
 * The other keys drive {@code mohge place}: which strategies to compare, spare replica slots per
 * layer, a cap on experts per GPU, an optional wall-clock cap on the searches ({@code solverSeconds},
 * null for none: searches are bounded by counts; {@code unimprovedSeconds} is accepted and no
 * longer used), an optional load-profile file and an
 * optional co-activation file ({@code {"pairs": [{"expertA": 0, "expertB": 5, "tokensPerStep": 900}]}})
 * whose pairs the solver tries to keep on one node (their NIC time is a soft cost beside GPU time), and how an expert's tokens split between its copies
 * ({@code split}: {@code equal}, the default, or {@code weighted}). {@code rebalance} (null for
 * none) re-places experts during a simulation ({@link RebalanceSpec}).
 */
public record PlacementSpec(String use, List<String> strategies, Integer spareSlots, Integer maxExpertsPerGpu,
                            Double solverSeconds, Double unimprovedSeconds, String loadProfile, String coActivation,
                            TokenSplit split, RebalanceSpec rebalance) {

    public static final List<String> DEFAULT_STRATEGIES =
            List.of("contiguous", "group-decoupled", "greedy", "replicate", "eplb", "fast", "optaplanner");
    /** Every strategy {@code mohge place} knows (placement-solver's PlacementStrategies.NAMES, checked there). */
    public static final List<String> KNOWN_STRATEGIES = List.of("contiguous", "group-decoupled", "greedy", "replicate",
            "eplb", "hierarchical", "fast", "optaplanner");

    public PlacementSpec {
        use = Require.orDefault(use, Placements.CONTIGUOUS);
        Require.text(use, "use");
        strategies = strategies == null ? DEFAULT_STRATEGIES : Require.nonEmpty(strategies, "strategies");
        for (int i = 0; i < strategies.size(); i++) {
            String name = strategies.get(i);
            Require.check(KNOWN_STRATEGIES.contains(name), "strategies[" + i + "]", "must be one of "
                    + String.join(", ", KNOWN_STRATEGIES) + ", got '" + name + "'");
        }
        spareSlots = Require.orDefault(spareSlots, 0);
        Require.nonNegative(spareSlots, "spareSlots");
        if (maxExpertsPerGpu != null) {
            Require.positive(maxExpertsPerGpu, "maxExpertsPerGpu");
        }
        if (solverSeconds != null) {
            Require.positive(solverSeconds, "solverSeconds");
        }
        split = Require.orDefault(split, TokenSplit.EQUAL);
        unimprovedSeconds = Require.orDefault(unimprovedSeconds, 2.0);
        Require.positive(unimprovedSeconds, "unimprovedSeconds");
    }

    public static PlacementSpec defaults() {
        return new PlacementSpec(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same section simulating another placement ({@code use}). */
    public PlacementSpec withUse(String newUse) {
        return new PlacementSpec(newUse, strategies, spareSlots, maxExpertsPerGpu, solverSeconds, unimprovedSeconds,
                loadProfile, coActivation, split, rebalance);
    }
}
