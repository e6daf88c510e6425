package org.mohge.reports.chart;

import java.util.List;
import org.mohge.sim.metrics.SimResult;

/** Share of routed-expert activations per expert size, as routed by the simulator. */
public final class GroupUsageChart {
    private GroupUsageChart() {
    }

    public static ChartSpec spec(SimResult run) {
        List<String> groups = run.groupUsage().stream()
                .map(g -> "hidden " + g.expertHidden() + " (" + g.experts() + " experts)").toList();
        List<Double> shares = run.groupUsage().stream().map(g -> g.share() * 100).toList();
        return new ChartSpec.Bars("Expert activations per expert size", "expert group", "share of activations (%)",
                groups, List.of(new ChartSpec.Series("routed", shares)), false, Double.NaN, "");
    }
}
