package org.mohge.reports.study;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;

/** Several designs side by side: parameters, step time, throughput, balance and memory. */
public final class CompareReport {
    private CompareReport() {
    }

    public static Table table(List<CompareRow> rows) {
        Table.Builder t = Table.builder("design", "MoE", "placement", "cluster", "total params (B)",
                "activated, even mix (B)", "activated, as routed (B)", "step time (ms)", "tokens/s",
                "imbalance (max/mean)", "peak memory (GiB)");
        for (CompareRow r : rows) {
            t.row(r.label(), r.moeKind(), r.placement(), r.cluster(), f(r.totalParams() / 1e9, 3),
                    f(r.activatedParamsEven() / 1e9, 3), r.fits() ? f(r.activatedParamsRouted() / 1e9, 3) : "-",
                    r.fits() ? f(r.stepTimeUs() / 1e3, 2) : "does not fit", r.fits() ? f(r.tokensPerSecond(), 0) : "-",
                    r.imbalance() != null ? f(r.imbalance(), 3) : "-", f(r.peakMemoryGiB(), 1));
        }
        return t.build();
    }

    public static Report build(String name, List<CompareRow> rows, List<String> notes, Map<String, String> footer) {
        List<String> labels = rows.stream().map(CompareRow::label).toList();
        List<CompareRow> fitting = rows.stream().filter(CompareRow::fits).toList();
        List<String> fittingLabels = fitting.stream().map(CompareRow::label).toList();
        ChartSpec params = new ChartSpec.Bars("Total and activated parameters", "design", "parameters (billions)",
                labels, List.of(
                        new ChartSpec.Series("total", rows.stream().map(r -> r.totalParams() / 1e9).toList()),
                        new ChartSpec.Series("activated (as routed)", rows.stream()
                                .map(r -> (r.fits() ? r.activatedParamsRouted() : r.activatedParamsEven()) / 1e9)
                                .toList())),
                false, Double.NaN, "");
        ChartSpec throughput = new ChartSpec.Bars("Training or serving throughput", "design", "tokens per second",
                fittingLabels, List.of(new ChartSpec.Series("tokens/s",
                        fitting.stream().map(CompareRow::tokensPerSecond).toList())), false, Double.NaN, "");
        List<CompareRow> balanced = fitting.stream().filter(r -> r.imbalance() != null).toList();
        ChartSpec balance = new ChartSpec.Bars("GPU balance", "design", "max / mean expert time (worst layer)",
                balanced.stream().map(CompareRow::label).toList(), List.of(new ChartSpec.Series("imbalance",
                        balanced.stream().map(CompareRow::imbalance).toList())), false, 1.05, "1.05");
        List<Block> summary = new java.util.ArrayList<>();
        rows.stream().filter(r -> !r.fits()).forEach(r -> summary.add(new Block.Callout(Block.Level.WARNING,
                r.label() + " does not fit in GPU memory: no times are reported for it.")));
        notes.forEach(n -> summary.add(new Block.Paragraph(n)));
        summary.add(new Block.TableBlock(table(rows), "compare"));
        List<Section> sections = List.of(
                new Section("summary", "Designs side by side", summary),
                new Section("params", "Parameters", List.of(new Block.Chart(params, "params",
                        "Blue is what a design stores, orange what one token uses: the gap between designs is the "
                                + "parameter saving."))),
                new Section("speed", "Throughput", List.of(new Block.Chart(throughput, "throughput",
                        "Simulated tokens per second on each design's cluster; higher is better."))),
                new Section("balance", "Balance", List.of(new Block.Chart(balance, "balance",
                        "Worst layer's max over mean expert time across GPUs; bars under the red 1.05 line are "
                                + "balanced, taller ones leave GPUs idle."))));
        return new Report("MoHGE Explorer comparison: " + name, rows.size() + " designs", sections, footer);
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
