package org.mohge.cli.plan;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.Require;

/** A sweep file's {@code pricePerGpuHour}, checked: known GPUs, positive prices, one for every GPU on the gpu axis. */
public final class GpuPrices {
    private GpuPrices() {
    }

    /** The prices by catalog name (sorted), or a one-line {@code SpecViolation}. */
    public static Map<String, Double> checked(Map<String, Double> pricePerGpuHour, List<String> gpuAxis) {
        Require.present(pricePerGpuHour, "pricePerGpuHour");
        Require.check(!pricePerGpuHour.isEmpty(), "pricePerGpuHour", "must not be empty");
        TreeMap<String, Double> prices = new TreeMap<>();
        for (Map.Entry<String, Double> e : pricePerGpuHour.entrySet()) {
            Require.check(GpuCatalog.find(e.getKey()).isPresent(), "pricePerGpuHour." + e.getKey(),
                    "names no known GPU (known: " + String.join(", ", GpuCatalog.names()) + ")");
            Require.positive(e.getValue(), "pricePerGpuHour." + e.getKey());
            prices.put(GpuCatalog.get(e.getKey()).name(), e.getValue());
        }
        for (int i = 0; i < gpuAxis.size(); i++) {
            String gpu = GpuCatalog.get(gpuAxis.get(i)).name();
            Require.check(prices.containsKey(gpu), "pricePerGpuHour",
                    "must give a price for every GPU on the gpu axis; missing '" + gpu + "' (axes.gpu[" + i + "])");
        }
        return Collections.unmodifiableMap(prices);
    }

    /**
     * The GPUs a sweep runs: its gpu axis by catalog name, or else the base scenario's GPU, which
     * then needs a price (the axis's GPUs were checked by {@link #checked}).
     */
    static List<String> gpusOf(SweepSpec sweep, ScenarioSpec base, Path sweepFile) {
        List<String> axis = sweep.axes().gpu();
        if (!axis.isEmpty()) {
            return axis.stream().map(n -> GpuCatalog.get(n).name()).toList();
        }
        String baseGpu = base.cluster().gpu().name();
        if (!sweep.pricePerGpuHour().containsKey(baseGpu)) {
            throw new ScenarioException(sweepFile + ": pricePerGpuHour must give a price for the base scenario's GPU '"
                    + baseGpu + "' (the sweep has no gpu axis)");
        }
        return List.of(baseGpu);
    }
}
