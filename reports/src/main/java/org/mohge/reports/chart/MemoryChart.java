package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.cost.MemoryEstimate;

/** Memory per GPU by kind, stacked, against the GPU's capacity (red line). */
public final class MemoryChart {
    private static final double GIB = 1L << 30;

    private MemoryChart() {
    }

    public static ChartSpec spec(List<MemoryEstimate> memory) {
        List<String> gpus = memory.stream().map(m -> String.valueOf(m.gpu())).toList();
        List<ChartSpec.Series> series = new ArrayList<>();
        series.add(new ChartSpec.Series("weights", memory.stream().map(m -> m.weightBytes() / GIB).toList()));
        series.add(new ChartSpec.Series("gradients", memory.stream().map(m -> m.gradientBytes() / GIB).toList()));
        series.add(new ChartSpec.Series("optimizer", memory.stream().map(m -> m.optimizerBytes() / GIB).toList()));
        series.add(new ChartSpec.Series("activations", memory.stream().map(m -> m.activationBytes() / GIB).toList()));
        series.add(new ChartSpec.Series("KV cache", memory.stream().map(m -> m.kvCacheBytes() / GIB).toList()));
        double capacity = memory.isEmpty() ? Double.NaN : memory.get(0).capacityBytes() / GIB;
        return new ChartSpec.Bars("Memory per GPU", "GPU", "memory (GiB)", gpus, series, true, capacity, "capacity");
    }
}
