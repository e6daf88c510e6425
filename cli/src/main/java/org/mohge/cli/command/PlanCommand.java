package org.mohge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.OutputDirOption;
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.plan.PlanPoint;
import org.mohge.cli.plan.PlanRunner;
import org.mohge.cli.plan.PlanSummary;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.StrictJson;
import org.mohge.cli.serve.ServingPlanPoint;
import org.mohge.cli.serve.ServingPlanSpec;
import org.mohge.cli.serve.ServingPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mohge plan}: a capacity-planning sweep, locally in parallel or on Apache Spark. */
@Command(name = "plan",
        description = {"Sweep designs (GPU type, cluster size, tokens per step, expert-group layouts, top-k, routing",
            "knobs, placement strategy) around a base scenario, find the Pareto front of cost per hour against",
            "tokens/s and the cheapest design that meets the sweep's target. Writes DIR/index.html with PNG charts,",
            "results.json, results.csv and points.jsonl; an interrupted run resumes from points.jsonl.",
            "The sweep file format is described in scenarios/sweeps/README.md."},
        footer = {"", "Examples:",
            "  mohge plan scenarios/sweeps/mohge-training-capacity.json",
            "  mohge plan scenarios/sweeps/mohge-training-capacity.json --json --threads 2",
            "  mohge plan scenarios/sweeps/mohge-training-capacity.json --engine spark --master 'local[*]'",
            "  mohge plan scenarios/sweeps/mohge-training-capacity.json --engine spark --master spark://127.0.0.1:7077",
            "  mohge plan scenarios/sweeps/mohge-training-capacity.json --fresh --out out/plan",
            "  mohge plan scenarios/sweeps/qwen3-30b-a3b-serving-capacity.json",
            "  mohge plan scenarios/sweeps/llama3-70b-layouts.json",
            "",
            "A base scenario with a `training` section makes a training sweep: the axes tp, pp, vp, ep,",
            "microBatchSize and recompute vary its parallel layout; impossible layouts and those over memory",
            "are listed with the reason.",
            "",
            "  mohge plan scenarios/sweeps/deepseek-v3-pd-ratio.json --engine spark",
            "",
            "A sweep file with a `servingTarget` plans serving instead: the cheapest",
            "deployment (GPU type, tp, dp, replicas, or prefill:decode pools with",
            "layouts of their own) that serves the target req/s within p99 TTFT and",
            "TPOT, on the same engines and with the same resume file."})
public final class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP", description = "Sweep JSON file (see scenarios/sweeps/README.md).")
    Path sweepFile;
    @Mixin
    OutputDirOption out;
    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
            description = "Where points run: local (a thread pool, default) or spark (one Spark task per point).")
    String engine;
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master for --engine spark: local[N] (default: ${DEFAULT-VALUE}, Spark embedded in "
                    + "this JVM) or spark://HOST:PORT of a standalone cluster (the application's jars are shipped "
                    + "to its executors; an unreachable master is one line and exit 2 within 5 s).")
    String master;
    @Option(names = "--threads", paramLabel = "N", description = "Threads of the local engine. Default: the number "
            + "of cores.")
    Integer threads;
    @Option(names = "--fresh", description = "Ignore points.jsonl of an earlier run and evaluate every point.")
    boolean fresh;
    @Mixin
    FormatOption format;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--engine must be 'local' or 'spark', got '" + engine + "'");
        }
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        JsonNode tree = StrictJson.readTree(sweepFile);
        if (!tree.has("base") && ScenarioLoader.looksLikeScenario(tree)) {
            throw new ScenarioException(sweepFile + ": is a scenario file; plan takes a sweep file (name, base, axes, "
                    + "target, pricePerGpuHour; see scenarios/sweeps/README.md), whose base names a scenario");
        }
        if (tree.has("servingTarget")) {
            return servingPlan();
        }
        PlanRunner.Sweep sweep = PlanRunner.load(sweepFile);
        OutputFolder dir = out.claim(sweepFile, sweep.spec().output().dir(), sweep.spec().name());
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        PrintWriter err = spec.commandLine().getErr();
        PlanRunner.Outcome outcome = new PlanRunner(err).run(sweep,
                new PlanRunner.Options(dir, PlanRunner.engine(engine, master, n), fresh));
        PlanSummary s = outcome.summary();
        PrintWriter o = spec.commandLine().getOut();
        if (format.json()) {
            JsonOutput.print(o, s);
            return ExitCodes.OK;
        }
        o.println("Capacity plan " + s.sweep() + ": " + s.pointCount() + " points, " + s.fittingCount() + " fit, "
                + s.meetingCount() + " meet " + s.target());
        o.println();
        if (s.paretoFront().isEmpty()) {
            o.println("Pareto front: empty, no point fits (see results.csv for each point's reason)");
        } else {
            o.println("Pareto front (cost per hour against tokens/s), cheapest first:");
            TextTable t = new TextTable("id", "design", "gpus", "cost/h", "tokens/s", "step ms", "imbalance",
                    "headroom", "meets");
            for (String id : s.paretoFront()) {
                PlanPoint p = s.points().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                t.row(p.id(), p.label(), p.gpus(), f(p.costPerHour(), 2), f(p.tokensPerSecond(), 0),
                        f(p.stepTimeMs(), 1), f(p.imbalance(), 3), f(p.memoryHeadroomPct(), 1) + "%",
                        p.meetsTarget() ? "yes" : "no");
            }
            o.print(t.render());
        }
        o.println();
        if (s.best() != null) {
            o.println("best: " + s.best().id() + " (" + s.best().label() + "), " + f(s.best().costPerHour(), 2)
                    + " per hour, " + f(s.best().tokensPerSecond(), 0) + " tokens/s: " + s.bestReason());
        } else {
            o.println("best: none: " + s.bestReason());
        }
        o.println("wrote " + outcome.outDir().resolve("index.html"));
        return ExitCodes.OK;
    }

    /** A sweep file with a {@code servingTarget}: the cheapest serving deployment (see {@link ServingPlanner}). */
    private int servingPlan() throws Exception {
        ServingPlanSpec plan = StrictJson.read(sweepFile, ServingPlanSpec.class);
        OutputFolder dir = out.claim(sweepFile, plan.output().dir(), plan.name());
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ServingPlanner.Outcome outcome = ServingPlanner.run(plan, sweepFile, dir, PlanRunner.engine(engine, master, n),
                fresh, spec.commandLine().getErr());
        PrintWriter o = spec.commandLine().getOut();
        if (format.json()) {
            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("plan", plan.name());
            json.put("target", plan.servingTarget());
            json.put("best", outcome.best() == null ? null : outcome.best().id());
            json.put("points", outcome.points());
            JsonOutput.print(o, json);
            return ExitCodes.OK;
        }
        ServingPlanSpec.ServingTarget t = plan.servingTarget();
        o.println("Serving plan " + plan.name() + ": " + outcome.points().size() + " deployments at "
                + ServingPlanner.plain(t.requestsPerSecond()) + " req/s, p99 TTFT <= "
                + ServingPlanner.plain(t.ttftP99Ms()) + " ms, p99 TPOT <= " + ServingPlanner.plain(t.tpotP99Ms())
                + " ms");
        TextTable table = new TextTable("id", "deployment", "gpus", "cost/h", "TTFT p99", "TPOT p99", "KV peak",
                "meets", "pareto");
        for (ServingPlanPoint p : outcome.points()) {
            table.row(p.id(), p.label(), p.gpus(), f(p.costPerHour(), 2), p.ok() ? f(p.ttftP99Ms(), 1) : "does not fit",
                    f(p.tpotP99Ms(), 2), p.peakKvUse() == null ? "-" : f(100 * p.peakKvUse(), 1) + "%",
                    p.meetsTarget() ? "yes" : "no", p.pareto() ? "yes" : "no");
        }
        o.print(table.render());
        o.println();
        ServingPlanPoint b = outcome.best();
        o.println(b == null ? "best: none meets the target" : "best: " + b.id() + " (" + b.label() + "), " + b.gpus()
                + " GPUs, " + f(b.costPerHour(), 2) + " per hour");
        o.println("wrote " + outcome.outDir().path().resolve("index.html"));
        return ExitCodes.OK;
    }

    private static String f(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
