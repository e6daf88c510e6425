package org.mohge.reports.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;
import org.mohge.sim.serving.CdfPoint;
import org.mohge.sim.serving.LatencySummary;
import org.mohge.sim.serving.SeriesPoint;
import org.mohge.sim.serving.ServingResult;

/**
 * A serving study's page: the run at the scenario's traffic (latency table, CDFs of TTFT, TPOT
 * and end-to-end latency, KV-cache use and batch size over time) and, for synthetic arrivals, a
 * sweep of the offered load (achieved throughput and goodput, p99 latencies).
 */
public final class ServingReport {
    private ServingReport() {
    }

    public static Table latencyTable(ServingResult r) {
        Table.Builder t = Table.builder("latency (ms)", "mean", "p50", "p90", "p99", "max");
        row(t, "TTFT", r.ttft());
        row(t, "TPOT", r.tpot());
        row(t, "end to end", r.e2e());
        row(t, "queueing", r.queueing());
        return t.build();
    }

    private static void row(Table.Builder t, String name, LatencySummary l) {
        t.row(name, f(l.meanMs(), 2), f(l.p50Ms(), 2), f(l.p90Ms(), 2), f(l.p99Ms(), 2), f(l.maxMs(), 2));
    }

    public static Table sweepTable(List<ServingSweepPoint> points) {
        Table.Builder t = Table.builder("offered req/s", "completed req/s", "goodput req/s", "output tokens/s",
                "output tokens/s per GPU", "TTFT p99 ms", "TPOT p99 ms", "E2E p99 ms", "KV peak", "preemptions",
                "rejected", "within SLO (p99)");
        for (ServingSweepPoint p : points) {
            ServingResult r = p.result();
            t.row(f(p.offeredRatePerSecond(), 3), f(r.requestsPerS(), 3), f(r.goodputRequestsPerS(), 3),
                    f(r.outputTokensPerS(), 0), f(r.outputTokensPerSPerGpu(), 0), f(r.ttft().p99Ms(), 1),
                    f(r.tpot().p99Ms(), 2), f(r.e2e().p99Ms(), 0), f(100 * r.peakKvUse(), 1) + "%", r.preemptions(),
                    r.rejected(), p.meetsSlo() ? "yes" : "no");
        }
        return t.build();
    }

    public static Table seriesTable(ServingResult r) {
        Table.Builder t = Table.builder("start s", "width s", "mean batch sequences", "mean batch tokens",
                "mean KV use (%)", "peak KV use (%)");
        for (SeriesPoint p : r.series()) {
            t.row(f(p.startS(), 3), f(p.widthS(), 3), f(p.meanBatchSeqs(), 2), f(p.meanBatchTokens(), 1),
                    f(100 * p.meanKvUse(), 2), f(100 * p.peakKvUse(), 2));
        }
        return t.build();
    }

    public static ChartSpec.Xy cdfChart(ServingResult r) {
        return new ChartSpec.Xy("Latency distributions", "latency (ms, log scale)", "share of requests",
                List.of(cdf("TTFT", r.cdfs().ttft()), cdf("TPOT", r.cdfs().tpot()), cdf("end to end", r.cdfs().e2e())),
                true, false, true);
    }

    private static ChartSpec.XySeries cdf(String name, List<CdfPoint> points) {
        return new ChartSpec.XySeries(name, points.stream()
                .map(p -> new double[] {Math.max(1e-3, p.valueMs()), p.fraction()}).toList());
    }

    public static ChartSpec.Xy overTimeChart(ServingResult r) {
        List<double[]> kv = new ArrayList<>();
        List<double[]> batch = new ArrayList<>();
        double maxSeqs = 1;
        for (SeriesPoint p : r.series()) {
            maxSeqs = Math.max(maxSeqs, p.meanBatchSeqs());
        }
        for (SeriesPoint p : r.series()) {
            double t = p.startS() + p.widthS() / 2;
            kv.add(new double[] {t, 100 * p.meanKvUse()});
            batch.add(new double[] {t, 100 * p.meanBatchSeqs() / maxSeqs});
        }
        return new ChartSpec.Xy(String.format(Locale.ROOT, "KV-cache use and batch size over time (100%% batch = %.1f"
                + " sequences)", maxSeqs), "time (s)", "percent", List.of(new ChartSpec.XySeries("KV-cache use", kv),
                new ChartSpec.XySeries("sequences per iteration", batch)), true, false, false);
    }

    public static ChartSpec.Xy loadChart(List<ServingSweepPoint> points) {
        return new ChartSpec.Xy("Throughput against offered load", "offered requests per second",
                "requests per second", List.of(
                        new ChartSpec.XySeries("completed", points.stream().map(p -> new double[] {
                            p.offeredRatePerSecond(), p.result().requestsPerS()}).toList()),
                        new ChartSpec.XySeries("goodput (within the SLO)", points.stream().map(p -> new double[] {
                            p.offeredRatePerSecond(), p.result().goodputRequestsPerS()}).toList())),
                true, true, false);
    }

    public static ChartSpec.Xy tailChart(List<ServingSweepPoint> points) {
        return new ChartSpec.Xy("p99 latency against offered load", "offered requests per second",
                "p99 latency (ms)", List.of(
                        new ChartSpec.XySeries("TTFT p99", points.stream().map(p -> new double[] {
                            p.offeredRatePerSecond(), p.result().ttft().p99Ms()}).toList()),
                        new ChartSpec.XySeries("TPOT p99", points.stream().map(p -> new double[] {
                            p.offeredRatePerSecond(), p.result().tpot().p99Ms()}).toList())),
                true, false, false);
    }

    /**
     * @param summary lines describing the model, deployment and traffic
     * @param sweep   the rate sweep (empty for trace arrivals)
     */
    public static Report build(String name, List<String> summary, ServingResult r, List<ServingSweepPoint> sweep,
                               String sloText, Map<String, String> footer) {
        List<Block> first = new ArrayList<>();
        summary.forEach(s -> first.add(new Block.Paragraph(s)));
        first.add(new Block.Paragraph(String.format(Locale.ROOT, "%d requests completed (%d rejected, %d "
                        + "preemptions) in %.1f s; over the %.1f s of arrivals: %.2f req/s, %.0f output tokens/s "
                        + "(%.0f per GPU on %d GPUs), goodput %.2f req/s%s; mean batch %.1f sequences, KV-cache use "
                        + "mean %.1f%%, peak %.1f%%; expert-rank imbalance in decode %.3f.", r.completed(), r.rejected(),
                r.preemptions(), r.durationS(), r.windowS(), r.requestsPerS(), r.outputTokensPerS(),
                r.outputTokensPerSPerGpu(), r.gpus(), r.goodputRequestsPerS(), sloText, r.meanBatchSeqs(),
                100 * r.meanKvUse(), 100 * r.peakKvUse(), r.expertImbalance())));
        first.add(new Block.TableBlock(latencyTable(r), "latency"));
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("summary", "At the scenario's traffic", first));
        sections.add(new Section("cdf", "Latency distributions", List.of(new Block.Chart(cdfChart(r), "latency-cdf",
                "Share of requests at or under each latency; a long right tail in TTFT means requests queued."))));
        sections.add(new Section("time", "KV cache and batch size over time", List.of(
                new Block.Chart(overTimeChart(r), "kv-batch-over-time",
                        "A KV cache near 100% limits admission: batches stop growing and TTFT rises."),
                new Block.TableBlock(seriesTable(r), "series"))));
        if (!sweep.isEmpty()) {
            sections.add(new Section("load", "Throughput against offered load", List.of(
                    new Block.Chart(loadChart(sweep), "throughput-vs-load",
                            "Completed requests follow the diagonal until the deployment saturates; goodput "
                                    + "falls off first when latencies leave the SLO."),
                    new Block.Chart(tailChart(sweep), "p99-vs-load",
                            "Tail latencies against the offered load: the knee is the usable capacity."),
                    new Block.TableBlock(sweepTable(sweep), "sweep"))));
        }
        return new Report("Serving study: " + name, "request-level simulation of the scenario's serving section",
                sections, footer);
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
