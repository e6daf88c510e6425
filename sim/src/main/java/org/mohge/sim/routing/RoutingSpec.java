package org.mohge.sim.routing;

import org.mohge.costmodel.spec.Require;

/**
 * The scenario's {@code routing} section: how tokens pick experts in the simulator.
 * {@code model}: {@code synthetic} (default) or {@code trace} (replay {@code tracePath});
 * {@code groupBias}: strength of MoHGE's group-wise auxiliary loss, shifting tokens toward cheaper
 * groups (0 = none); {@code intraGroupBalance}: strength of the intra-group balance loss, 1 = even
 * popularity inside a group, 0 = strongly skewed (Zipf-like); {@code fidelity}: {@code exact}
 * per-token decisions or {@code aggregate} multinomial counts.
 */
public record RoutingSpec(String model, Double groupBias, Double intraGroupBalance, String fidelity,
                          String tracePath) {

    public RoutingSpec {
        model = Require.orDefault(model, "synthetic");
        Require.check(model.equals("synthetic") || model.equals("trace"), "model",
                "must be 'synthetic' or 'trace', got '" + model + "'");
        groupBias = Require.orDefault(groupBias, 0.0);
        Require.nonNegative(groupBias, "groupBias");
        intraGroupBalance = Require.orDefault(intraGroupBalance, 1.0);
        Require.inRange(intraGroupBalance, 0.0, 1.0, "intraGroupBalance");
        fidelity = Require.orDefault(fidelity, "exact");
        Require.check(fidelity.equals("exact") || fidelity.equals("aggregate"), "fidelity",
                "must be 'exact' or 'aggregate', got '" + fidelity + "'");
        if (model.equals("trace")) {
            Require.check(tracePath != null, "tracePath", "is required when model is 'trace'");
        }
    }

    public static RoutingSpec defaults() {
        return new RoutingSpec(null, null, null, null, null);
    }
}
