package org.mohge.cli.plan;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
}
