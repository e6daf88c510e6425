package org.mohge.cli.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.mohge.cli.scenario.OutputSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.Require;
import org.mohge.sim.routing.RoutingFidelity;

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
                        RoutingFidelity fidelity, OutputSpec output) {

    public SweepSpec {
        OutputSpec.requireFolderName(name);
        Require.text(base, "base");
        axes = Require.orDefault(axes, SweepAxes.none());
        Require.present(target, "target");
        pricePerGpuHour = GpuPrices.checked(pricePerGpuHour, axes.gpu());
        output = Require.orDefault(output, OutputSpec.defaults());
    }

    /** Price of one GPU-hour of {@code gpu} (a catalog name), or null when the file gives none. */
    public Double price(String gpu) {
        return pricePerGpuHour.get(GpuCatalog.get(gpu).name());
    }
}
