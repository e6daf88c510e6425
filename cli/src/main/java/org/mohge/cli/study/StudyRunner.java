package org.mohge.cli.study;

import org.mohge.cli.output.Eta;
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.output.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mohge.cli.calibrate.LayerValidation;
import org.mohge.cli.calibrate.PartitionCheck;
import org.mohge.cli.calibrate.ValidationResult;
import org.mohge.cli.option.BackendOption;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.LayeredPlacementRunner;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.PlacementProblem;
import org.mohge.reports.study.PlacementSummary;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.chart.ValidationCharts;
import org.mohge.reports.model.Report;
import org.mohge.reports.study.StudyData;
import org.mohge.reports.study.StudyReport;
import org.mohge.reports.table.CsvWriter;
import org.mohge.sim.SimRun;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.Simulator;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.trace.ChromeTraceWriter;

/**
 * The whole chain for one scenario: parameters, expert loads from the routing model, every
 * placement strategy the scenario lists (each profiled MoE layer placed from its own loads), a
 * simulation per placement that fits in memory,
 * validation when asked, and the report folder (index.html, PNGs, results.json, results.csv,
 * trace.json) written atomically.
 */
public final class StudyRunner {
    public static final String VERSION = "MoHGE Explorer 0.1.0";

    /** {@code validateBackend} is null when no validation is wanted. */
    public record Options(OutputFolder outDir, String validateBackend, Path calibration, Double solverSeconds) {
    }

    /** What the study found and where it went. */
    public record Outcome(Path outDir, StudyData data) {
    }

    private final Consumer<String> progress;
    private final PrintWriter warnings;

    public StudyRunner(Consumer<String> progress, PrintWriter warnings) {
        this.progress = progress;
        this.warnings = warnings;
    }

    public Outcome run(ScenarioSpec s, Path scenarioFile, Options options) throws IOException {
        String use = s.placement().use();
        if (!Placements.isBuiltIn(use)) {
            // The study places with its strategies; a map the user made would be dropped without a word.
            throw new ScenarioException(scenarioFile + ": placement.use names a placement file (" + use + "), which a "
                    + "study does not evaluate beside its strategies; simulate it (mohge simulate), or compare it in a "
                    + "study file: {\"name\": ..., \"compare\": [{\"scenario\": \"" + scenarioFile.getFileName()
                    + "\", \"placement\": \"" + use + "\"}]}");
        }
        ModelSpec model = s.model();
        ClusterSpec cluster = s.cluster();
        CostModel costModel = CostModels.forScenario(s, scenarioFile);
        ParamReport params = ParamAccounting.count(model);
        RoutingSpec routing = ScenarioInputs.routing(s, scenarioFile);

        progress.accept("expert loads and placement strategies ...");
        ScenarioInputs.Loads loads = ScenarioInputs.loads(s, scenarioFile, null);
        PlacementProblem problem = PlacementProblem.of(model, cluster, s.workload(), loads.profile(), s.placement(),
                s.seed());
        if (options.solverSeconds() != null) {
            problem = problem.withSolverSeconds(options.solverSeconds());
        }
        problem = problem.withCoActivation(ScenarioInputs.coActivation(s, scenarioFile, null));
        // Every profiled MoE layer placed from its own loads, as `mohge place` does.
        LayeredComparison comparison = new LayeredPlacementRunner(problem, costModel,
                Runtime.getRuntime().availableProcessors()).run(s.placement().strategies(), progress);

        List<SimResult> runs = new ArrayList<>();
        SimRun best = null;
        SimRun slowest = null;
        List<String> skipped = new ArrayList<>();
        Eta eta = new Eta(comparison.strategies().size());
        int done = 0;
        for (String strategy : comparison.strategies()) {
            if (!fitsMemory(comparison, strategy)) {
                skipped.add(strategy);
                done++;
                continue;
            }
            progress.accept("simulating placement " + strategy + " (" + eta.after(done++) + ") ...");
            SimRun run = Simulator.runWithSchedule(new SimulationInput(model, cluster, s.workload(), routing,
                    comparison.placement(strategy), costModel, s.seed(),
                    new SimulationSpec(s.simulation().dualBatchOverlap(), false)));
            SimResult named = run.result().withPlacement(strategy);
            runs.add(named);
            if (best == null || named.stepTimeUs() < best.result().stepTimeUs()) {
                best = new SimRun(named, run.firstStep());
            }
            if (slowest == null || named.stepTimeUs() > slowest.result().stepTimeUs()) {
                slowest = new SimRun(named, run.firstStep());
            }
        }
        String bestName = best == null ? null : best.result().placement();
        String chosenName = bestName != null ? bestName : comparison.best();
        LayeredPlacement chosen = comparison.placement(chosenName);
        double[] shares = model.moe().defaultExpertShares();
        List<MemoryEstimate> memory = MemoryModel.perGpu(model, cluster, s.workload(), chosen, shares);
        String memoryWarning = memoryWarning(memory, runs.isEmpty(), skipped);

        List<ValidationCharts.Point> points = List.of();
        String validationSummary = null;
        if (options.validateBackend() != null && !runs.isEmpty()) {
            // validation executes one layer: the first MoE layer's map
            ValidationResult v = validate(s, scenarioFile, options, chosen.placementFor(0), costModel);
            points = v.partitions().stream().filter(p -> p.measuredUs() > 0)
                    .map(p -> new ValidationCharts.Point(p.gpu(), p.predictedUs(), p.measuredUs())).toList();
            validationSummary = String.format(Locale.ROOT, "Executed on %s (%s), %d tokens, placement %s. Median "
                    + "|error| %.1f%%, max %.1f%%; imbalance predicted %.3f, measured %.3f. Predictions by: %s.",
                    v.backend(), v.device(), v.tokens(), chosenName, v.medianAbsErrorPct(), v.maxAbsErrorPct(),
                    v.predictedImbalance(), v.measuredImbalance(), v.costModel());
        }

        StudyData data = new StudyData(s.name(), summaryLines(s, params), costModel.description(), s.seed(),
                Digests.sha256(scenarioFile), params, comparison, runs, memory, memoryWarning,
                best == null ? null : best.firstStep(), bestName,
                clearlySlower(slowest, best) ? slowest.firstStep() : null,
                slowest == null ? null : slowest.result().placement(), model.denseLayers(), points, validationSummary);
        Report report = StudyReport.build(data, VERSION);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("results.json", (JsonOutput.toJson(resultsJson(s, params, comparison, runs, memoryWarning,
                validationSummary)) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("results.csv", CsvWriter.toCsv(StudyReport.resultsTable(runs)).getBytes(StandardCharsets.UTF_8));
        if (best != null) {
            ByteArrayOutputStream trace = new ByteArrayOutputStream();
            ChromeTraceWriter.write(best.firstStep(), cluster, trace);
            files.put("trace.json", trace.toByteArray());
        }
        progress.accept("writing the report ...");
        options.outDir().replaceWith(folder -> ReportWriter.writeInto(report, folder, files));
        return new Outcome(options.outDir().path(), data);
    }

    private ValidationResult validate(ScenarioSpec s, Path scenarioFile, Options options, Placement chosen,
                                      CostModel scenarioModel) {
        CostModel costModel = options.calibration() != null
                ? CostModels.fromProfile(options.calibration(), s.cluster()) : scenarioModel;
        if (options.validateBackend().equals("cpu") && options.calibration() == null && s.calibration() == null) {
            throw new ScenarioException(scenarioFile + ": --validate cpu needs a CPU calibration profile: run `mohge "
                    + "calibrate --backend cpu --out calibration/cpu-local.json` and pass --calibration "
                    + "calibration/cpu-local.json");
        }
        try (LayerBackend backend = new BackendOption().open(options.validateBackend(), warnings)) {
            int tokens = (int) Math.min(s.workload().tokensPerStep() / s.workload().microBatches(),
                    backend.name().equals("cpu") ? 2048 : Integer.MAX_VALUE);
            progress.accept("validating on " + backend.deviceName() + " with " + tokens + " tokens ...");
            return new LayerValidation(backend, 3).validate(s.name(), s.model(), chosen,
                    RoutingModels.create(s.model(), s.workload(), ScenarioInputs.routing(s, scenarioFile), s.seed()),
                    costModel, tokens, s.seed());
        }
    }



    private static boolean fitsMemory(LayeredComparison comparison, String strategy) {
        return comparison.results(strategy).stream().allMatch(r -> r.evaluation().fitsMemory());
    }

    /** Whether the slowest run is worth its own timeline: more than 1% slower than the fastest. */
    private static boolean clearlySlower(SimRun slowest, SimRun best) {
        return slowest != null && best != null && slowest.result().stepTimeUs() > 1.01 * best.result().stepTimeUs();
    }

    private static String memoryWarning(List<MemoryEstimate> memory, boolean nothingSimulated, List<String> skipped) {
        MemoryEstimate worst = memory.stream().max(java.util.Comparator.comparingDouble(MemoryEstimate::totalBytes))
                .orElse(null);
        if (nothingSimulated && worst != null) {
            return String.format(Locale.ROOT, "The model does not fit in GPU memory with any placement: GPU %d needs "
                    + "%.1f GiB of %.1f GiB. No step times are reported; add GPUs, use a larger GPU, or shrink the "
                    + "workload (tokens per micro-batch).", worst.gpu(), worst.totalBytes() / (1L << 30),
                    worst.capacityBytes() / (1L << 30));
        }
        if (!skipped.isEmpty()) {
            return "Placements over GPU memory were not simulated: " + String.join(", ", skipped) + ".";
        }
        return null;
    }

    private static List<String> summaryLines(ScenarioSpec s, ParamReport params) {
        ModelSpec m = s.model();
        return List.of(
                String.format(Locale.ROOT, "Model: %s MoE, %d layers (%d MoE), hidden %d, %d routed experts, %d per "
                        + "token; %.2fB total, %.2fB activated parameters.", m.moe().kind(), m.layers(), m.moeLayers(),
                        m.hiddenSize(), m.moe().expertCount(), m.moe().routedExpertsPerToken(),
                        params.totalParams() / 1e9, params.activatedParams() / 1e9),
                String.format(Locale.ROOT, "Cluster: %d x %d %s.", s.cluster().nodes(), s.cluster().gpusPerNode(),
                        s.cluster().gpu().name()),
                String.format(Locale.ROOT, "Workload: %s, %d tokens per step in %d micro-batches, sequences of %d.",
                        s.workload().kind().label(), s.workload().tokensPerStep(), s.workload().microBatches(),
                        s.workload().sequenceLength()));
    }

    private static Map<String, Object> resultsJson(ScenarioSpec s, ParamReport params, LayeredComparison comparison,
                                                   List<SimResult> runs, String memoryWarning, String validation) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", s.name());
        json.put("seed", s.seed());
        json.put("totalParams", params.totalParams());
        json.put("activatedParams", Math.round(params.activatedParams()));
        json.put("memoryWarning", memoryWarning);
        List<Map<String, Object>> placements = new ArrayList<>();
        // With several profiled layers: means over the layers, memory fitting on every layer.
        for (PlacementSummary r : PlacementSummary.of(comparison)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("strategy", r.strategy());
            p.put("maxGpuLoad", r.maxGpuTimeUs());
            p.put("imbalance", r.imbalance());
            p.put("gapToLowerBound", r.gapToLowerBound());
            p.put("fitsMemory", r.fitsMemory());
            placements.add(p);
        }
        json.put("placements", placements);
        json.put("simulations", runs);
        json.put("validation", validation);
        return json;
    }
}
