package org.mohge.cli.serve;

import java.io.IOException;
import org.mohge.cli.output.OutputFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mohge.cli.output.Digests;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.study.StudyRunner;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.serving.ServingReport;
import org.mohge.reports.serving.ServingSweepPoint;
import org.mohge.reports.table.CsvWriter;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.PoolSpec;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;
import org.mohge.sim.serving.SloSpec;

/**
 * {@code mohge study} on a scenario with a {@code serving} section: one run at the scenario's
 * traffic, then (for Poisson or Gamma arrivals) the same deployment at {@link #LOAD_FACTORS} times
 * the scenario's rate, written as DIR/index.html with PNG charts (latency CDFs, throughput and p99
 * latencies against offered load, KV use and batch size over time), results.json and CSV tables.
 */
public final class ServingStudy {
    static final double[] LOAD_FACTORS = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0};

    private ServingStudy() {
    }

    public static Path run(ScenarioSpec s, Path file, OutputFolder outDir, Consumer<String> progress)
            throws IOException {
        ServingSpec serving = ServeRunner.servingOf(s, file);
        double[][] inclusion = ServeRunner.inclusion(s, file);
        progress.accept("serving " + serving.requests() + " requests at the scenario's traffic ...");
        ServingResult main = ServeRunner.run(s, file, serving, inclusion, null);
        List<ServingSweepPoint> sweep = new ArrayList<>();
        Double rate = rate(serving.arrivals());
        if (rate != null) {
            for (double factor : LOAD_FACTORS) {
                double r = rate * factor;
                progress.accept(String.format(Locale.ROOT, "offered load %.3f req/s ...", r));
                // At the scenario's own rate the run is the one above, seed and all: reuse it.
                ServingResult result = factor == 1.0 ? main
                        : ServeRunner.run(s, file, ServeReport.override(serving, r, null, file), inclusion, null);
                sweep.add(new ServingSweepPoint(r, result, meets(result, serving.slo())));
            }
        }
        List<String> summary = summary(s, serving);
        SloSpec slo = serving.slo();
        String sloText = slo == null ? "" : String.format(Locale.ROOT, " (TTFT <= %.0f ms and TPOT <= %.0f ms)",
                slo.ttftMs(), slo.tpotMs());
        Map<String, String> footer = new LinkedHashMap<>();
        footer.put("scenario", s.name());
        footer.put("seed", Long.toString(s.seed()));
        footer.put("scenario sha-256", Digests.sha256(file));
        footer.put("cost model", ServeRunner.costModel(s, file));
        footer.put("tool", StudyRunner.VERSION);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", s.name());
        json.put("serving", serving);
        json.put("result", main);
        json.put("sweep", sweep);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("results.json", (JsonOutput.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        if (!sweep.isEmpty()) {
            files.put("results.csv", CsvWriter.toCsv(ServingReport.sweepTable(sweep)).getBytes(StandardCharsets.UTF_8));
        }
        progress.accept("writing the report ...");
        outDir.replaceWith(folder -> ReportWriter.writeInto(ServingReport.build(s.name(), summary, main, sweep, sloText,
                footer), folder, files));
        return outDir.path();
    }

    private static Double rate(ArrivalSpec a) {
        if (a instanceof ArrivalSpec.Poisson p) {
            return p.ratePerSecond();
        }
        if (a instanceof ArrivalSpec.Gamma g) {
            return g.ratePerSecond();
        }
        return null;
    }

    private static boolean meets(ServingResult r, SloSpec slo) {
        return slo != null && r.rejected() == 0 && r.ttft().p99Ms() <= slo.ttftMs()
                && r.tpot().p99Ms() <= slo.tpotMs();
    }

    private static List<String> summary(ScenarioSpec s, ServingSpec serving) {
        List<String> lines = new ArrayList<>();
        String layout;
        if (serving.disaggregated()) {
            layout = "prefill pool " + pool(serving.disaggregation().prefill()) + " and decode pool "
                    + pool(serving.disaggregation().decode());
        } else {
            layout = pool(serving.deployment());
        }
        lines.add("Deployment: " + layout + " of " + s.cluster().gpu().name() + " (" + serving.gpus() + " GPUs), "
                + "scheduler " + serving.scheduler().policy().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + ", " + ServeReport.arrivals(serving) + ", " + serving.requests() + " requests, seed " + s.seed()
                + ".");
        if (rate(serving.arrivals()) == null) {
            lines.add("Trace arrivals: no offered-load sweep.");
        }
        return lines;
    }

    private static String pool(PoolSpec p) {
        return p.replicas() + " replica(s) of tp " + p.tp() + " x dp " + p.dp() + " (EP" + p.ep() + ")";
    }
}
