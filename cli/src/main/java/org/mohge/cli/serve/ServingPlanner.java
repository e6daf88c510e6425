package org.mohge.cli.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.cli.output.Digests;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.plan.BaseInputs;
import org.mohge.cli.plan.PlanEngine;
import org.mohge.cli.plan.PlanRunner;
import org.mohge.cli.plan.PointEvaluator;
import org.mohge.cli.plan.ResumableTasks;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.study.StudyRunner;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.CsvWriter;
import org.mohge.reports.table.Table;

/**
 * Runs a {@link ServingPlanSpec}: every combination of GPU type, tp, dp and replica count (or
 * prefill:decode replica pair, with each pool's layout, keeping the base's KV transfer settings)
 * serves the target traffic. Points run on a plan engine (local threads or Spark) as task lines
 * evaluated by {@link ServingPointEvaluator.Worker}, with the training sweeps' resume file; results
 * are kept in point order, so the output depends neither on the engine nor on an interruption. A
 * point meets the target when p99 TTFT and p99 TPOT are within it and nothing is rejected. The
 * Pareto front is cost per hour against p99 TTFT; the answer is the cheapest point that meets the
 * target (ties: lower p99 TTFT, then id).
 */
public final class ServingPlanner {
    /** The points and the answer. */
    public record Outcome(OutputFolder outDir, List<ServingPlanPoint> points, ServingPlanPoint best) {
    }

    private ServingPlanner() {
    }

    public static Outcome run(ServingPlanSpec plan, Path planFile, OutputFolder outDir, PlanEngine engine,
                              boolean fresh, PrintWriter err) throws Exception {
        Path baseFile = PlacementResolver.resolveRelative(planFile, plan.base());
        ScenarioSpec base = ScenarioLoader.load(baseFile);
        ServeRunner.servingOf(base, baseFile);
        String baseText = Files.readString(baseFile, StandardCharsets.UTF_8);
        double rate = plan.servingTarget().requestsPerSecond();
        List<ServingPoint> points = points(plan);
        Map<String, ServingPoint> byId = new LinkedHashMap<>();
        Map<String, String> tasks = new LinkedHashMap<>();
        String absolute = baseFile.toAbsolutePath().toString();
        for (ServingPoint p : points) {
            byId.put(p.id(), p);
            tasks.put(p.id(), PointEvaluator.toLine(new ServingPointEvaluator.Task(absolute, baseText, rate,
                    plan.requests(), p)));
        }
        String fingerprint = ServingPointEvaluator.fingerprint(baseText + '\0' + BaseInputs.digest(base, baseFile), rate,
                plan.requests());
        Path resume = outDir.open(PlanRunner.RESUME_FILE).resolve(PlanRunner.RESUME_FILE);
        Map<String, ServingPointResult> results = new ResumableTasks<>(new ServingPointEvaluator.Worker(),
                ServingPointResult.class, r -> r.point() != null && r.status() != null
                        && r.point().equals(byId.get(r.point().id())) ? r.point().id() : null)
                .run(engine, resume, fingerprint, fresh, tasks, err);
        ServingPlanSpec.ServingTarget t = plan.servingTarget();
        List<ServingPlanPoint> judged = new ArrayList<>(points.size());
        for (ServingPoint p : points) {
            ServingPointResult r = results.get(p.id());
            boolean meets = r.ok() && r.rejected() == 0 && r.ttftP99Ms() <= t.ttftP99Ms()
                    && r.tpotP99Ms() <= t.tpotP99Ms();
            judged.add(ServingPlanPoint.of(r, p.costPerHour(plan.pricePerGpuHour()), meets));
        }
        judged = pareto(judged);
        ServingPlanPoint best = judged.stream().filter(ServingPlanPoint::meetsTarget)
                .min(Comparator.comparingDouble(ServingPlanPoint::costPerHour)
                        .thenComparingDouble(ServingPlanPoint::ttftP99Ms).thenComparing(ServingPlanPoint::id))
                .orElse(null);
        err.println("[plan] writing the report ...");
        err.flush();
        write(plan, planFile, base, judged, best, outDir,
                ResumableTasks.lines(fingerprint, byId.keySet(), results));
        return new Outcome(outDir, judged, best);
    }

    /** The plan's points in id order: per GPU type, the unified layouts, then the disaggregated ones. */
    static List<ServingPoint> points(ServingPlanSpec plan) {
        ServingPlanSpec.Axes axes = plan.axes();
        List<ServingPoint> points = new ArrayList<>();
        for (String name : axes.gpu()) {
            String gpu = GpuCatalog.get(name).name();
            for (int tp : axes.tp()) {
                for (int dp : axes.dp()) {
                    for (int replicas : axes.replicas()) {
                        points.add(ServingPoint.unified(id(points), gpu, replicas, tp, dp));
                    }
                    if (!axes.perPoolLayouts()) {
                        ServingPlanSpec.Layout both = new ServingPlanSpec.Layout(tp, dp);
                        for (List<Integer> pd : axes.prefillDecode()) {
                            points.add(ServingPoint.disaggregated(id(points), gpu, pd.get(0), both, pd.get(1), both));
                        }
                    }
                }
            }
            if (axes.perPoolLayouts()) {
                for (List<Integer> pd : axes.prefillDecode()) {
                    for (ServingPlanSpec.Layout prefill : axes.prefillLayouts()) {
                        for (ServingPlanSpec.Layout decode : axes.decodeLayouts()) {
                            points.add(ServingPoint.disaggregated(id(points), gpu, pd.get(0), prefill, pd.get(1),
                                    decode));
                        }
                    }
                }
            }
        }
        return points;
    }

    private static String id(List<ServingPoint> before) {
        return String.format(Locale.ROOT, "s%03d", before.size() + 1);
    }

    /** Marks the points no other fitting point beats on both cost per hour and p99 TTFT. */
    static List<ServingPlanPoint> pareto(List<ServingPlanPoint> points) {
        List<ServingPlanPoint> out = new ArrayList<>(points.size());
        for (ServingPlanPoint p : points) {
            boolean dominated = !p.ok() || points.stream().anyMatch(q -> q.ok() && q != p
                    && q.costPerHour() <= p.costPerHour() && q.ttftP99Ms() <= p.ttftP99Ms()
                    && (q.costPerHour() < p.costPerHour() || q.ttftP99Ms() < p.ttftP99Ms()));
            out.add(p.withPareto(!dominated));
        }
        return out;
    }

    public static Table table(List<ServingPlanPoint> points) {
        Table.Builder t = Table.builder("id", "deployment", "gpus", "cost per hour", "status", "TTFT p99 ms",
                "TPOT p99 ms", "completed req/s", "goodput req/s", "output tokens/s per GPU", "KV peak", "rejected",
                "meets target", "pareto");
        for (ServingPlanPoint p : points) {
            t.row(p.id(), p.label(), p.gpus(), f(p.costPerHour(), 2), p.status(), f(p.ttftP99Ms(), 1),
                    f(p.tpotP99Ms(), 2), f(p.requestsPerS(), 2), f(p.goodputRequestsPerS(), 2),
                    f(p.outputTokensPerSPerGpu(), 0), p.peakKvUse() == null ? "-" : f(100 * p.peakKvUse(), 1) + "%",
                    p.rejected() == null ? "-" : p.rejected(), p.meetsTarget() ? "yes" : "no",
                    p.pareto() ? "yes" : "no");
        }
        return t.build();
    }

    private static void write(ServingPlanSpec plan, Path planFile, ScenarioSpec base, List<ServingPlanPoint> points,
                              ServingPlanPoint best, OutputFolder outDir, String resumeLines) throws IOException {
        ServingPlanSpec.ServingTarget t = plan.servingTarget();
        String target = String.format(Locale.ROOT, "%s req/s with p99 TTFT <= %s ms and p99 TPOT <= %s ms",
                plain(t.requestsPerSecond()), plain(t.ttftP99Ms()), plain(t.tpotP99Ms()));
        List<ChartSpec.XySeries> series = new ArrayList<>();
        if (best != null) {
            series.add(new ChartSpec.XySeries("cheapest meeting the target",
                    List.of(new double[] {best.costPerHour(), best.ttftP99Ms()})));
        }
        series.add(new ChartSpec.XySeries("Pareto front", points.stream().filter(ServingPlanPoint::pareto)
                .sorted(Comparator.comparingDouble(ServingPlanPoint::costPerHour))
                .map(p -> new double[] {p.costPerHour(), p.ttftP99Ms()}).toList()));
        Map<String, List<double[]>> byGpu = new LinkedHashMap<>();
        for (ServingPlanPoint p : points) {
            if (p.ok()) {
                byGpu.computeIfAbsent(p.gpu(), k -> new ArrayList<>()).add(new double[] {p.costPerHour(),
                    p.ttftP99Ms()});
            }
        }
        byGpu.forEach((gpu, pts) -> series.add(new ChartSpec.XySeries(gpu, pts)));
        ChartSpec.Xy chart = new ChartSpec.Xy("Cost against p99 time to first token at the target traffic",
                "cost per hour", "TTFT p99 (ms)", series, false, false, false);
        List<Block> summary = new ArrayList<>();
        if (plan.description() != null) {
            summary.add(new Block.Paragraph(plan.description()));
        }
        summary.add(new Block.Paragraph("Target: " + target + ". Base scenario: " + plan.base() + " (" + base.name()
                + ").")); 
        summary.add(best == null
                ? new Block.Callout(Block.Level.WARNING, "No deployment meets the target.")
                : new Block.Paragraph("Cheapest deployment meeting the target: " + best.id() + ", " + best.label()
                        + ", " + best.gpus() + " GPUs, " + f(best.costPerHour(), 2) + " per hour (p99 TTFT "
                        + f(best.ttftP99Ms(), 1) + " ms, p99 TPOT " + f(best.tpotP99Ms(), 2) + " ms)."));
        Report report = new Report("Serving plan: " + plan.name(), target, List.of(
                new Section("summary", "Answer", summary),
                new Section("pareto", "Cost against latency", List.of(new Block.Chart(chart, "pareto",
                        "Each point is a deployment at the target traffic; the front holds those no cheaper one "
                                + "beats on p99 TTFT."))),
                new Section("points", "Every deployment", List.of(new Block.TableBlock(table(points), null)))),
                Map.of("plan", plan.name(), "plan sha-256", Digests.sha256(planFile), "seed", Long.toString(base.seed()),
                        "tool", StudyRunner.VERSION));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("plan", plan.name());
        json.put("target", t);
        json.put("best", best == null ? null : best.id());
        json.put("points", points);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("results.json", (JsonOutput.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("results.csv", CsvWriter.toCsv(table(points)).getBytes(StandardCharsets.UTF_8));
        files.put(PlanRunner.RESUME_FILE, resumeLines.getBytes(StandardCharsets.UTF_8));
        outDir.replaceWith(folder -> ReportWriter.writeInto(report, folder, files));
    }

    public static String plain(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String f(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
