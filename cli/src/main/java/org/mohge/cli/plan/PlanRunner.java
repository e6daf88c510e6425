package org.mohge.cli.plan;

import org.mohge.cli.output.Digests;
import org.mohge.cli.output.OutputFolder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.StrictJson;
import org.mohge.cli.study.StudyRunner;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.plan.PlanReport;
import org.mohge.reports.plan.PlanRow;
import org.mohge.reports.table.CsvWriter;

/**
 * Runs a sweep: loads it, skips the points already in {@code DIR/points.jsonl} (the resume file,
 * appended to and flushed as each point finishes), evaluates the rest on an engine, and writes
 * the report folder (index.html, PNGs, results.json, results.csv and the resume file, rebuilt in
 * id order) atomically. Outputs depend only on the sweep, never on completion order or engine.
 */
public final class PlanRunner {
    /** The name of the resume file inside the report folder. */
    public static final String RESUME_FILE = "points.jsonl";

    private final PrintWriter err;

    public PlanRunner(PrintWriter err) {
        this.err = err;
    }

    /** A loaded sweep: the file, its base scenario and its points. */
    public record Sweep(SweepSpec spec, Path file, PlanContext context, List<SweepPoint> points) {
    }

    /**
     * @param fresh ignore (and replace) an existing resume file
     */
    public record Options(OutputFolder outDir, PlanEngine engine, boolean fresh) {
    }

    public record Outcome(Path outDir, PlanSummary summary, int evaluated, int reused) {
    }

    /** Reads and validates a sweep file and its base scenario, and enumerates the points. */
    public static Sweep load(Path sweepFile) {
        SweepSpec spec = StrictJson.read(sweepFile, SweepSpec.class);
        Path baseFile = PlacementResolver.resolveRelative(sweepFile, spec.base());
        if (!Files.isRegularFile(baseFile)) {
            throw new ScenarioException(sweepFile + ": base names a missing file '" + spec.base() + "'");
        }
        ScenarioSpec base = ScenarioLoader.load(baseFile);
        String baseText;
        try {
            baseText = Files.readString(baseFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(baseFile + ": cannot read file (" + e.getMessage() + ")", e);
        }
        PlanContext ctx = new PlanContext(base, baseFile, baseText, spec.fidelity());
        return new Sweep(spec, sweepFile, ctx, SweepPoints.enumerate(spec, base, sweepFile));
    }

    /** The engine named on the command line; Spark classes are loaded only for {@code spark}. */
    public static PlanEngine engine(String name, String master, int threads) {
        if (name.equals("local")) {
            return new LocalEngine(threads);
        }
        if (!name.equals("spark")) {
            throw new IllegalArgumentException("--engine must be 'local' or 'spark', got '" + name + "'");
        }
        try {
            return (PlanEngine) Class.forName("org.mohge.cli.plan.spark.SparkEngine")
                    .getMethod("forMaster", String.class).invoke(null, master);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalStateException("--engine spark needs Apache Spark on the class path (" + e.getMessage()
                    + ")", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof NoClassDefFoundError missing) {
                throw new IllegalStateException("--engine spark needs Apache Spark on the class path ("
                        + missing.getMessage() + ")", missing);
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the Spark engine: " + e, e);
        }
    }

    public Outcome run(Sweep sweep, Options options) throws Exception {
        Path dir = options.outDir().open(RESUME_FILE);
        Path resume = dir.resolve(RESUME_FILE);
        Map<String, SweepPoint> byId = new LinkedHashMap<>();
        sweep.points().forEach(p -> byId.put(p.id(), p));
        String fingerprint = ResumeFile.fingerprint(sweep.context());
        Map<String, PointMetrics> done = new HashMap<>();
        if (options.fresh()) {
            Files.deleteIfExists(resume);
        } else {
            done.putAll(ResumeFile.readAndCompact(resume, fingerprint, byId));
        }
        List<SweepPoint> pending = sweep.points().stream().filter(p -> !done.containsKey(p.id())).toList();
        int reused = done.size();
        progress(sweep.points().size() + " points (" + reused + " from " + resume + ", " + pending.size()
                + " to evaluate) on " + options.engine().describe());
        ProgressBar bar = new ProgressBar(err, sweep.points().size(), reused);
        try (BufferedWriter out = Files.newBufferedWriter(resume, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            options.engine().run(sweep.context(), pending, m -> {
                try {
                    out.write(ResumeFile.line(fingerprint, m));
                    out.write('\n');
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                done.put(m.point().id(), m);
                bar.step();
            });
        }
        PlanSummary summary = PlanSummary.of(sweep.spec(), sweep.points(), done);
        progress("writing the report ...");
        write(sweep, fingerprint, summary, done, options.outDir());
        return new Outcome(dir, summary, pending.size(), reused);
    }

    /** The report; the resume file's lines carry the fingerprint the run started with (its inputs hashed once). */
    private void write(Sweep sweep, String fingerprint, PlanSummary summary, Map<String, PointMetrics> metrics,
                       OutputFolder dir) throws IOException {
        List<PlanRow> rows = summary.points().stream().map(PlanRunner::row).toList();
        StringBuilder lines = new StringBuilder();
        sweep.points().forEach(p -> lines.append(ResumeFile.line(fingerprint, metrics.get(p.id()))).append('\n'));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("results.json", (JsonOutput.toJson(summary) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("results.csv", CsvWriter.toCsv(PlanReport.table(rows)).getBytes(StandardCharsets.UTF_8));
        files.put(RESUME_FILE, lines.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, String> footer = new LinkedHashMap<>();
        footer.put("sweep", sweep.spec().name());
        footer.put("base scenario", sweep.context().baseFile().getFileName().toString());
        footer.put("seed", Long.toString(sweep.context().base().seed()));
        footer.put("tool", StudyRunner.VERSION);
        footer.put("sweep sha-256", Digests.sha256(sweep.file()));
        Double targetTokensPerSecond = sweep.spec().target().minTokensPerSecond();
        dir.replaceWith(folder -> ReportWriter.writeInto(PlanReport.build(sweep.spec().name(),
                sweep.spec().description(), summary.target(),
                targetTokensPerSecond == null ? Double.NaN : targetTokensPerSecond, rows, summary.best() == null ? null : summary.best().id(),
                summary.bestReason(), footer), folder, files));
    }

    static PlanRow row(PlanPoint p) {
        return new PlanRow(p.id(), p.label(), p.gpu(), p.gpus(), p.placement(), p.status(),
                p.reason() == null ? "" : p.reason(), p.costPerHour(),
                nan(p.tokensPerSecond()), nan(p.stepTimeMs()), nan(p.imbalance()), nan(p.peakMemoryGiB()),
                nan(p.memoryHeadroomPct()), nan(p.expertSizeRatio()), p.meetsTarget(), p.pareto());
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }

    private void progress(String line) {
        err.println("[plan] " + line);
        err.flush();
    }


}
