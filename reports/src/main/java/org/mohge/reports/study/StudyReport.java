package org.mohge.reports.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.costmodel.arch.GroupParamCount;
import org.mohge.costmodel.arch.ParamCount;
import org.mohge.reports.chart.GpuExpertTimeChart;
import org.mohge.reports.chart.GroupUsageChart;
import org.mohge.reports.chart.LayerImbalanceChart;
import org.mohge.reports.chart.LayerTimelineChart;
import org.mohge.reports.chart.MemoryChart;
import org.mohge.reports.chart.StageTimeChart;
import org.mohge.reports.chart.ValidationCharts;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;
import org.mohge.sim.metrics.SimResult;

/** Lays a {@link StudyData} out as a report: summary, parameters, balance, stages, groups, memory, validation, timeline. */
public final class StudyReport {
    private StudyReport() {
    }

    public static Report build(StudyData d, String toolVersion) {
        List<Section> sections = new ArrayList<>();
        sections.add(summary(d));
        sections.add(params(d));
        if (d.placements() != null) {
            sections.add(placements(d));
        }
        if (!d.runs().isEmpty()) {
            sections.add(new Section("balance", "GPU balance", List.of(
                    new Block.Chart(GpuExpertTimeChart.spec(d.runs()), "gpu-expert-time",
                            "Each bar is one GPU's expert compute per step: the tallest bar of a placement sets its "
                                    + "expert stage, so even bars mean no GPU waits for another."),
                    new Block.Chart(LayerImbalanceChart.spec(d.runs()), "layer-imbalance",
                            "Max over mean expert time across GPUs for each MoE layer: 1.0 is perfect balance; "
                                    + "lines well above 1 show layers where GPUs idle."))));
            sections.add(new Section("stages", "Where the time goes", List.of(
                    new Block.Chart(StageTimeChart.slowest(d.runs()), "stage-time",
                            "Stacked time per step and stage on the slowest GPU of each stage, the one the others "
                                    + "wait for: a straggler placement shows its full cost here."),
                    new Block.Chart(StageTimeChart.mean(d.runs()), "stage-time-mean",
                            "The same on the average GPU: the work itself, without waiting; the gap to the chart "
                                    + "above is time GPUs spend waiting for the slowest."))));
            sections.add(groups(d));
        }
        sections.add(memory(d));
        if (!d.validation().isEmpty()) {
            sections.add(new Section("validation", "Validation against a real execution", List.of(
                    new Block.Paragraph(d.validationSummary()),
                    new Block.Chart(ValidationCharts.scatter(d.validation()), "validation-scatter",
                            "Each point is one GPU partition executed on the backend; points on the grey y = x line "
                                    + "were predicted exactly."),
                    new Block.Chart(ValidationCharts.errors(d.validation()), "validation-errors",
                            "Prediction error per partition in percent of the measured time; bars near zero are "
                                    + "good, a consistent sign means a bias in the calibration."))));
        }
        if (d.timeline() != null) {
            List<Block> blocks = new ArrayList<>();
            blocks.add(new Block.Chart(LayerTimelineChart.spec(d.timeline(), d.timelineLayer(), d.timelinePlacement()),
                    "layer-timeline", "One row per GPU for the first MoE layer under the fastest placement; gaps are "
                            + "time a GPU waits for the slowest one before the all-to-all can proceed."));
            if (d.slowTimeline() != null) {
                blocks.add(new Block.Chart(LayerTimelineChart.spec(d.slowTimeline(), d.timelineLayer(),
                        d.slowTimelinePlacement()), "layer-timeline-slowest", "The same layer under the slowest "
                        + "placement: the GPU with the longest expert bar holds every other GPU at the combine."));
            }
            sections.add(new Section("timeline", "One layer step", blocks));
        }
        Map<String, String> footer = new LinkedHashMap<>();
        footer.put("scenario", d.scenario());
        footer.put("scenario sha-256", d.scenarioSha256());
        footer.put("seed", String.valueOf(d.seed()));
        footer.put("cost model", d.costModel());
        footer.put("tool", toolVersion);
        return new Report("MoHGE Explorer study: " + d.scenario(), String.join(" · ", d.summary()), sections, footer);
    }

    private static Section summary(StudyData d) {
        List<Block> blocks = new ArrayList<>();
        if (d.memoryWarning() != null) {
            blocks.add(new Block.Callout(Block.Level.WARNING, d.memoryWarning()));
        }
        d.summary().forEach(line -> blocks.add(new Block.Paragraph(line)));
        blocks.add(new Block.Paragraph("Cost model: " + d.costModel() + "."));
        if (!d.runs().isEmpty()) {
            blocks.add(new Block.TableBlock(resultsTable(d.runs()), "results"));
        }
        return new Section("summary", "Summary", blocks);
    }

    /** One row per simulated placement: the study's headline numbers (also results.csv). */
    public static Table resultsTable(List<SimResult> runs) {
        Table.Builder t = Table.builder("placement", "step time (ms)", "tokens/s", "imbalance (max/mean)",
                "token imbalance", "mean utilisation", "NVLink GB/step", "inter-node GB/step",
                "activated params/token", "peak memory (GiB)");
        for (SimResult r : runs) {
            t.row(r.placement(), f(r.stepTimeUs() / 1e3, 3), f(r.tokensPerSecond(), 0), f(r.imbalance(), 3),
                    f(r.tokenImbalance(), 3), f(r.meanUtilisation() * 100, 1) + "%", f(r.intraNodeBytes() / 1e9, 2),
                    f(r.interNodeBytes() / 1e9, 2), f(r.activatedParamsPerToken(), 0),
                    f(r.peakMemoryBytes() / (1L << 30), 2));
        }
        return t.build();
    }

    private static Section params(StudyData d) {
        Table.Builder t = Table.builder("component", "total params", "activated / token");
        for (ParamCount c : d.params().components()) {
            t.row(c.component(), c.totalParams(), f(c.activatedParams(), 0));
        }
        t.row("total", d.params().totalParams(), f(d.params().activatedParams(), 0));
        Table.Builder g = Table.builder("group", "expert hidden", "experts", "params / expert", "total params");
        for (GroupParamCount c : d.params().groups()) {
            g.row(c.sizeClass(), c.expertHidden(), c.experts(), c.paramsPerExpert(), c.totalParams());
        }
        return new Section("params", "Parameters", List.of(
                new Block.Paragraph("Activated parameters under an even group mix; the routed mix is in the expert "
                        + "groups section."),
                new Block.TableBlock(t.build(), "params"), new Block.TableBlock(g.build(), "groups")));
    }

    private static Section placements(StudyData d) {
        Table.Builder t = Table.builder("strategy", "max GPU expert time (us)", "imbalance", "gap to lower bound",
                "max memory (GiB)", "fits memory", "extra copies", "inter-node MB");
        for (PlacementSummary r : PlacementSummary.of(d.placements())) {
            t.row(r.strategy(), f(r.maxGpuTimeUs(), 1), f(r.imbalance(), 3), f(r.gapToLowerBound() * 100, 1) + "%",
                    f(r.maxMemoryBytes() / (1L << 30), 2), r.fitsMemory() ? "yes" : "NO", r.extraCopies(),
                    f(r.interNodeBytes() / 1e6, 1));
        }
        int layers = d.placements().perLayer().size();
        String perLayer = layers == 1 ? "" : String.format(Locale.ROOT, " Each of the %d profiled MoE layers is "
                + "placed from its own loads; the table shows means over the layers (memory and extra copies: the "
                + "largest of any layer).", layers);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Paragraph(String.format(Locale.ROOT, "Predicted expert time of one MoE layer step from "
                + "the expected loads. Lower bounds: perfect balance %.1f us, largest single expert copy %.1f us.%s",
                PlacementSummary.meanPerfectBalanceUs(d.placements()),
                PlacementSummary.meanLargestCopyUs(d.placements()), perLayer)));
        blocks.add(new Block.TableBlock(t.build(), "placements"));
        if (layers > 1 && !d.runs().isEmpty()) {
            blocks.add(new Block.Paragraph("Imbalance per MoE layer before and after placement: max over mean "
                    + "expert time across GPUs of each MoE layer as simulated, one column per placement. Fixed "
                    + "layouts (contiguous, group-decoupled) are the layer before placement; the placed "
                    + "strategies give each layer its own map."));
            blocks.add(new Block.TableBlock(layerImbalance(d.runs()), "imbalance-per-layer"));
        }
        return new Section("placement", "Placement strategies", blocks);
    }

    /** One row per MoE layer, one column per simulated placement: the layer's max/mean expert time. */
    static Table layerImbalance(List<SimResult> runs) {
        List<String> header = new ArrayList<>();
        header.add("MoE layer");
        runs.forEach(r -> header.add(r.placement()));
        Table.Builder t = Table.builder(header.toArray(String[]::new));
        for (int l = 0; l < runs.get(0).layers().size(); l++) {
            List<Object> row = new ArrayList<>();
            row.add(runs.get(0).layers().get(l).moeLayer());
            for (SimResult r : runs) {
                row.add(f(r.layers().get(l).expertImbalance(), 3));
            }
            t.row(row.toArray());
        }
        return t.build();
    }

    private static Section groups(StudyData d) {
        SimResult first = d.runs().get(0);
        Table.Builder t = Table.builder("placement", "activated params / token (routed)", "routed experts / token");
        for (SimResult r : d.runs()) {
            t.row(r.placement(), f(r.activatedParamsPerToken(), 0), f(r.activatedRoutedParamsPerToken(), 0));
        }
        return new Section("groups", "Expert groups", List.of(
                new Block.Chart(GroupUsageChart.spec(first), "group-usage",
                        "Share of expert activations each expert size receives as routed: more weight on small "
                                + "groups means fewer activated parameters per token."),
                new Block.Paragraph(String.format(Locale.ROOT, "Activated parameters per token: %.3fB with an even "
                        + "group mix, %.3fB as routed.", d.params().activatedParams() / 1e9,
                        first.activatedParamsPerToken() / 1e9)),
                new Block.TableBlock(t.build(), null)));
    }

    private static Section memory(StudyData d) {
        List<Block> blocks = new ArrayList<>();
        if (d.memoryWarning() != null) {
            blocks.add(new Block.Callout(Block.Level.WARNING, d.memoryWarning()));
        }
        if (!d.memory().isEmpty()) {
            blocks.add(new Block.Chart(MemoryChart.spec(d.memory()), "memory",
                    "Memory each GPU needs by kind, against its capacity (red line): any bar above the line means "
                            + "the model does not fit."));
        }
        return new Section("memory", "Memory", blocks);
    }

    private static String f(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
