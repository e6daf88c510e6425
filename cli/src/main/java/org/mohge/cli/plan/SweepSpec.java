package org.mohge.cli.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import org.mohge.cli.scenario.OutputSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.Require;
import org.mohge.sim.routing.RoutingSpec;

/**
 * A capacity-planning sweep file: a base scenario (path relative to the sweep file), the axes to
 * vary, the target a design must meet and the price of one GPU-hour for each GPU type on the gpu
 * axis. {@code fidelity} optionally overrides the base scenario's routing fidelity for every point
 * ({@code aggregate} is much faster on big points).
 */
public record SweepSpec(@JsonProperty(required = true) String name, String description,
                        @JsonProperty(required = true) String base, SweepAxes axes,
                        @JsonProperty(required = true) PlanTarget target,
                        @JsonProperty(required = true) Map<String, Double> pricePerGpuHour,
                        String fidelity, OutputSpec output) {

    public SweepSpec {
        OutputSpec.requireFolderName(name);
        Require.text(base, "base");
        axes = Require.orDefault(axes, SweepAxes.none());
        Require.present(target, "target");
        Require.present(pricePerGpuHour, "pricePerGpuHour");
        Require.check(!pricePerGpuHour.isEmpty(), "pricePerGpuHour", "must not be empty");
        TreeMap<String, Double> prices = new TreeMap<>();
        for (Map.Entry<String, Double> e : pricePerGpuHour.entrySet()) {
            Require.check(GpuCatalog.find(e.getKey()).isPresent(), "pricePerGpuHour." + e.getKey(),
                    "names no known GPU (known: " + String.join(", ", GpuCatalog.names()) + ")");
            Require.positive(e.getValue(), "pricePerGpuHour." + e.getKey());
            prices.put(GpuCatalog.get(e.getKey()).name(), e.getValue());
        }
        for (int i = 0; i < axes.gpu().size(); i++) {
            String gpu = GpuCatalog.get(axes.gpu().get(i)).name();
            Require.check(prices.containsKey(gpu), "pricePerGpuHour",
                    "must give a price for every GPU on the gpu axis; missing '" + gpu + "' (axes.gpu[" + i + "])");
        }
        pricePerGpuHour = java.util.Collections.unmodifiableMap(prices);
        if (fidelity != null) {
            Require.check(fidelity.equals(RoutingSpec.EXACT) || fidelity.equals(RoutingSpec.AGGREGATE), "fidelity",
                    "must be 'exact' or 'aggregate', got '" + fidelity + "'");
        }
        output = Require.orDefault(output, OutputSpec.defaults());
    }

    /** Price of one GPU-hour of {@code gpu} (a catalog name), or null when the file gives none. */
    public Double price(String gpu) {
        return pricePerGpuHour.get(GpuCatalog.get(gpu).name());
    }
}
