package org.mohge.cli.serve;

import java.io.IOException;
import org.mohge.cli.output.OutputFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.mohge.cli.output.Digests;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.study.StudyRunner;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.CsvWriter;
import org.mohge.reports.table.Table;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.DisaggregationSpec;
import org.mohge.sim.serving.PoolSpec;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;

/**
 * Runs a {@link ServingPlanSpec}: every combination of GPU type, tp, dp and replica count (or
 * prefill:decode replica pair, keeping the base's KV transfer settings) serves
 * the target traffic (points run on a thread pool; results are kept in point order, so the output
 * does not depend on the thread count). A point meets the target when p99 TTFT and p99 TPOT are
 * within it and nothing is rejected. The Pareto front is cost per hour against p99 TTFT; the answer
 * is the cheapest point that meets the target (ties: lower p99 TTFT, then id).
 */
public final class ServingPlanner {
    /** The points and the answer. */
    public record Outcome(OutputFolder outDir, List<ServingPlanPoint> points, ServingPlanPoint best) {
    }

    private ServingPlanner() {
    }

    public static Outcome run(ServingPlanSpec plan, Path planFile, OutputFolder outDir, int threads,
                              Consumer<String> progress)
            throws IOException {
        Path baseFile = PlacementResolver.resolveRelative(planFile, plan.base());
        ScenarioSpec base = ScenarioLoader.load(baseFile);
        ServingSpec serving = ServeRunner.servingOf(base, baseFile);
        double[][] inclusion = ServeRunner.inclusion(base, baseFile);
        ServingSpec atTarget = serving.withArrivals(new ArrivalSpec.Poisson(plan.servingTarget().requestsPerSecond()));
        if (plan.requests() != null) {
            atTarget = atTarget.withRequests(plan.requests());
        }
        List<Object[]> combos = new ArrayList<>();
        for (String gpu : plan.axes().gpu()) {
            for (int tp : plan.axes().tp()) {
                for (int dp : plan.axes().dp()) {
                    for (int replicas : plan.axes().replicas()) {
                        combos.add(new Object[] {GpuCatalog.get(gpu).name(), tp, dp, replicas, 0, 0});
                    }
                    for (List<Integer> pd : plan.axes().prefillDecode()) {
                        combos.add(new Object[] {GpuCatalog.get(gpu).name(), tp, dp, 0, pd.get(0), pd.get(1)});
                    }
                }
            }
        }
        progress.accept(combos.size() + " deployments at " + plan.servingTarget().requestsPerSecond() + " req/s, "
                + atTarget.requests() + " requests each ...");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, combos.size())));
        List<ServingPlanPoint> points = new ArrayList<>();
        try {
            List<Future<ServingPlanPoint>> futures = new ArrayList<>();
            for (int i = 0; i < combos.size(); i++) {
                Object[] c = combos.get(i);
                String id = String.format(Locale.ROOT, "s%03d", i + 1);
                ServingSpec spec = atTarget;
                futures.add(pool.submit(() -> evaluate(plan, base, baseFile, spec, inclusion, id, (String) c[0],
                        (int) c[1], (int) c[2], (int) c[3], (int) c[4], (int) c[5])));
            }
            for (Future<ServingPlanPoint> f : futures) {
                points.add(f.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        points = pareto(points);
        ServingPlanPoint best = points.stream().filter(ServingPlanPoint::meetsTarget)
                .min(Comparator.comparingDouble(ServingPlanPoint::costPerHour)
                        .thenComparingDouble(ServingPlanPoint::ttftP99Ms).thenComparing(ServingPlanPoint::id))
                .orElse(null);
        progress.accept("writing the report ...");
        write(plan, planFile, base, points, best, outDir);
        return new Outcome(outDir, points, best);
    }

    private static ServingPlanPoint evaluate(ServingPlanSpec plan, ScenarioSpec base, Path baseFile, ServingSpec at,
                                             double[][] inclusion, String id, String gpu, int tp, int dp, int replicas,
                                             int prefill, int decode) {
        PoolSpec pool = replicas > 0 ? new PoolSpec(replicas, tp, dp, null) : null;
        DisaggregationSpec pd = null;
        if (pool == null) {
            DisaggregationSpec old = at.disaggregation();
            pd = new DisaggregationSpec(new PoolSpec(prefill, tp, dp, null), new PoolSpec(decode, tp, dp, null),
                    old == null ? null : old.transferGBps(), old == null ? null : old.transferLatencyUs());
        }
        int gpus = pool != null ? pool.gpus() : pd.prefill().gpus() + pd.decode().gpus();
        double cost = gpus * plan.pricePerGpuHour().get(gpu);
        int perNode = base.cluster().gpusPerNode();
        ClusterSpec cluster = new ClusterSpec(GpuCatalog.get(gpu), (gpus + perNode - 1) / perNode, perNode, null,
                null, null, null);
        WorkloadSpec w = base.workload();
        WorkloadSpec workload = new WorkloadSpec(w.kind(), Math.max(w.tokensPerStep(),
                (long) cluster.gpuCount() * w.microBatches()), w.sequenceLength(), w.microBatches());
        ServingSpec serving = new ServingSpec(at.arrivals(), at.promptTokens(), at.outputTokens(), at.requests(),
                at.durationS(), at.scheduler(), at.kvCache(), pool, pd, at.loadBalancer(), at.slo(),
                at.seriesPoints());
        ScenarioSpec s = new ScenarioSpec(base.name(), base.seed(), base.model(), cluster, workload, base.routing(),
                base.placement(), base.output(), base.simulation(), base.calibration(), serving, null, null, null);
        ServingResult r;
        try {
            r = ServeRunner.run(s, baseFile, serving, inclusion, null);
        } catch (ScenarioException e) {
            String why = e.getMessage();
            int colon = why.indexOf(": ");
            return new ServingPlanPoint(id, gpu, tp, dp, replicas, prefill, decode, gpus, cost,
                    "does not fit: " + (colon >= 0 ? why.substring(colon + 2) : why), null, null, null, null, null,
                    null, null, false, false);
        }
        ServingPlanSpec.ServingTarget t = plan.servingTarget();
        boolean meets = r.rejected() == 0 && r.ttft().p99Ms() <= t.ttftP99Ms() && r.tpot().p99Ms() <= t.tpotP99Ms();
        return new ServingPlanPoint(id, gpu, tp, dp, replicas, prefill, decode, gpus, cost, "ok", r.ttft().p99Ms(),
                r.tpot().p99Ms(),
                r.requestsPerS(), r.goodputRequestsPerS(), r.outputTokensPerSPerGpu(), r.peakKvUse(), r.rejected(),
                meets, false);
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
                              ServingPlanPoint best, OutputFolder outDir) throws IOException {
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
        outDir.replaceWith(folder -> ReportWriter.writeInto(report, folder, files));
    }

    public static String plain(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String f(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
