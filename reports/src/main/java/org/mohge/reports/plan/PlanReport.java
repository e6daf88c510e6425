package org.mohge.reports.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;

/**
 * The report of a capacity-planning sweep: the cheapest design meeting the target, the Pareto
 * front of cost per hour against tokens/s, tokens/s against cluster size per GPU type, imbalance
 * against the largest/smallest expert ratio, and every point.
 */
public final class PlanReport {
    private static final String PARETO = "Pareto front";

    private PlanReport() {
    }

    /** One row per point, in the order given. */
    public static Table table(List<PlanRow> rows) {
        Table.Builder t = Table.builder("id", "design", "gpu", "gpus", "placement", "status", "cost per hour",
                "tokens/s", "step time (ms)", "imbalance (max/mean)", "peak memory (GiB)", "memory headroom (%)",
                "largest/smallest expert", "meets target", "pareto", "reason");
        for (PlanRow r : rows) {
            t.row(r.id(), r.label(), r.gpu(), r.gpus(), r.placement(), r.status(), f(r.costPerHour(), 2),
                    f(r.tokensPerSecond(), 0), f(r.stepTimeMs(), 2), f(r.imbalance(), 3), f(r.peakMemoryGiB(), 1),
                    f(r.memoryHeadroomPct(), 1), f(r.expertSizeRatio(), 2), r.meetsTarget() ? "yes" : "no",
                    r.pareto() ? "yes" : "no", r.reason());
        }
        return t.build();
    }

    /** The report page's narrower table: the design label already names GPU, cluster and placement. */
    public static Table pageTable(List<PlanRow> rows) {
        Table.Builder t = Table.builder("id", "design", "status", "cost per hour", "tokens/s", "step time (ms)",
                "imbalance", "memory headroom (%)", "meets target", "pareto");
        for (PlanRow r : rows) {
            t.row(r.id(), r.label(), r.status(), f(r.costPerHour(), 2), f(r.tokensPerSecond(), 0),
                    f(r.stepTimeMs(), 1), f(r.imbalance(), 3), f(r.memoryHeadroomPct(), 1),
                    r.meetsTarget() ? "yes" : "no", r.pareto() ? "yes" : "no");
        }
        return t.build();
    }

    /**
     * Cost against throughput: the best point, the front, then the fitting points per GPU type
     * (JFreeChart draws the first series on top, so the best point and the front stay visible).
     */
    public static ChartSpec.Xy paretoChart(List<PlanRow> rows, String bestId) {
        return paretoChart(rows, bestId, Double.NaN);
    }

    /** The same, with a dashed line at the tokens/s target when {@code targetTokensPerSecond} is not NaN. */
    public static ChartSpec.Xy paretoChart(List<PlanRow> rows, String bestId, double targetTokensPerSecond) {
        List<ChartSpec.XySeries> series = new ArrayList<>();
        if (bestId != null) {
            series.add(new ChartSpec.XySeries("best meeting the target", rows.stream()
                    .filter(r -> r.id().equals(bestId)).map(r -> new double[] {r.costPerHour(), r.tokensPerSecond()})
                    .toList()));
        }
        series.add(new ChartSpec.XySeries(PARETO, rows.stream().filter(r -> r.ok() && r.pareto())
                .sorted(Comparator.comparingDouble(PlanRow::costPerHour))
                .map(r -> new double[] {r.costPerHour(), r.tokensPerSecond()}).toList()));
        for (Map.Entry<String, List<PlanRow>> e : byGpu(rows).entrySet()) {
            series.add(new ChartSpec.XySeries(e.getKey(), e.getValue().stream()
                    .map(r -> new double[] {r.costPerHour(), r.tokensPerSecond()}).toList()));
        }
        return new ChartSpec.Xy("Cost against throughput", "cost per hour (the sweep's price unit)",
                "tokens per second", series, false, false, false, List.of(PARETO), targetTokensPerSecond,
                Double.isNaN(targetTokensPerSecond) ? "" : "target " + f(targetTokensPerSecond, 0) + " tokens/s");
    }

    /** For each GPU type and cluster size, the highest tokens/s any fitting point of that size reaches. */
    public static ChartSpec.Xy scalingChart(List<PlanRow> rows) {
        List<ChartSpec.XySeries> series = new ArrayList<>();
        for (Map.Entry<String, List<PlanRow>> e : byGpu(rows).entrySet()) {
            TreeMap<Integer, Double> bestBySize = new TreeMap<>();
            for (PlanRow r : e.getValue()) {
                bestBySize.merge(r.gpus(), r.tokensPerSecond(), Math::max);
            }
            series.add(new ChartSpec.XySeries(e.getKey(), bestBySize.entrySet().stream()
                    .map(s -> new double[] {s.getKey(), s.getValue()}).toList()));
        }
        return new ChartSpec.Xy("Throughput against cluster size", "GPUs", "tokens per second (best design of the size)",
                series, true, false, false);
    }

    /** Worst-layer imbalance of every fitting point against its largest/smallest expert ratio, per placement. */
    public static ChartSpec.Xy imbalanceChart(List<PlanRow> rows) {
        Map<String, List<double[]>> byPlacement = new TreeMap<>();
        for (PlanRow r : rows) {
            if (r.ok()) {
                byPlacement.computeIfAbsent(r.placement(), k -> new ArrayList<>())
                        .add(new double[] {r.expertSizeRatio(), r.imbalance()});
            }
        }
        List<ChartSpec.XySeries> series = new ArrayList<>();
        byPlacement.forEach((k, v) -> series.add(new ChartSpec.XySeries(k, v)));
        return new ChartSpec.Xy("Imbalance against expert size spread", "largest / smallest expert hidden size",
                "imbalance (max/mean expert time, worst layer)", series, false, false, false);
    }

    /**
     * @param target the target in words
     * @param bestId the cheapest point meeting the target, or null
     * @param bestReason why that point (or why none)
     */
    /** @param targetTokensPerSecond the tokens/s target drawn on the Pareto chart, or NaN when the target is a step time */
    public static Report build(String name, String description, String target, double targetTokensPerSecond,
                               List<PlanRow> rows, String bestId, String bestReason, Map<String, String> footer) {
        List<Block> summary = new ArrayList<>();
        if (description != null) {
            summary.add(new Block.Paragraph(description));
        }
        long fitting = rows.stream().filter(PlanRow::ok).count();
        long meeting = rows.stream().filter(PlanRow::meetsTarget).count();
        summary.add(new Block.Paragraph(rows.size() + " points, " + fitting + " fit in GPU memory, " + meeting
                + " meet the target (" + target + ")."));
        PlanRow best = rows.stream().filter(r -> r.id().equals(bestId)).findFirst().orElse(null);
        if (best != null) {
            summary.add(new Block.Callout(Block.Level.INFO, "Best: " + best.id() + " (" + best.label() + ") at "
                    + f(best.costPerHour(), 2) + " per hour, " + f(best.tokensPerSecond(), 0) + " tokens/s, "
                    + f(best.memoryHeadroomPct(), 1) + "% memory headroom: " + bestReason + "."));
        } else {
            summary.add(new Block.Callout(Block.Level.WARNING, "No design meets the target: " + bestReason + "."));
        }
        long notFitting = rows.stream().filter(r -> "does-not-fit".equals(r.status())).count();
        if (notFitting > 0) {
            summary.add(new Block.Callout(Block.Level.WARNING, notFitting + " point(s) do not fit in GPU memory: no "
                    + "times are reported for them."));
        }
        List<PlanRow> front = rows.stream().filter(r -> r.ok() && r.pareto())
                .sorted(Comparator.comparingDouble(PlanRow::costPerHour).thenComparing(PlanRow::id)).toList();
        summary.add(new Block.Paragraph("Pareto front (no other point is both cheaper and faster), cheapest first:"));
        summary.add(new Block.TableBlock(pageTable(front), null));
        List<Section> sections = List.of(
                new Section("summary", "Cheapest design meeting the target", summary),
                new Section("pareto", "Cost against throughput", List.of(new Block.Chart(paretoChart(rows, bestId,
                        targetTokensPerSecond), "pareto", "Every fitting point by cost per hour and simulated tokens/s; "
                        + "the line joins the Pareto front (no other point is both cheaper and faster)"
                        + (Double.isNaN(targetTokensPerSecond) ? "." : ", the dashed red line is the target.")))),
                new Section("sensitivity", "Sensitivity", List.of(
                        new Block.Chart(scalingChart(rows), "scaling", "The best tokens/s each GPU type reaches at "
                                + "each cluster size: flattening lines mean more GPUs buy little."),
                        new Block.Chart(imbalanceChart(rows), "imbalance", "Worst-layer max/mean expert time against "
                                + "the spread of expert sizes, per placement: points near 1 keep every GPU busy."))),
                new Section("points", "Every point", List.of(new Block.Paragraph("One row per point; results.csv "
                        + "has every column."), new Block.TableBlock(pageTable(rows), null))));
        Map<String, String> foot = new LinkedHashMap<>(footer);
        return new Report("MoHGE Explorer capacity plan: " + name, rows.size() + " designs, target " + target,
                sections, foot);
    }

    private static Map<String, List<PlanRow>> byGpu(List<PlanRow> rows) {
        Map<String, List<PlanRow>> map = new LinkedHashMap<>();
        for (PlanRow r : rows) {
            if (r.ok()) {
                map.computeIfAbsent(r.gpu(), k -> new ArrayList<>()).add(r);
            }
        }
        return map;
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
