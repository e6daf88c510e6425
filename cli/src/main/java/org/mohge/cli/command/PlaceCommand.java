package org.mohge.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.PlacementComparison;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.PlacementRunner;
import org.mohge.placement.PlacementStrategies;
import org.mohge.placement.evaluation.LowerBounds;
import org.mohge.placement.evaluation.PlacementEvaluation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge place}: compares placement strategies on the scenario's expert loads. */
@Command(name = "place",
        header = "Compare expert placements, from contiguous to an OptaPlanner search.",
        description = {"Compare expert placements: the built-in layouts, greedy, EPLB-style replication and an",
            "OptaPlanner search, each judged by the cost model (per-GPU grouped-GEMM time, memory, traffic).",
            "",
            "Loads come from --load-profile, else the scenario's placement.loadProfile, else the scenario's",
            "routing model. Times are per micro-batch, forward, averaged over the profiled layers."},
        footer = {"", "Examples:",
            "  mohge place scenarios/paper/mohge-3g-8xh100.json",
            "  mohge place scenarios/paper/mohge-3g-8xh100.json --strategies greedy,optaplanner --seconds 5 --json",
            "  mohge place scenarios/paper/mohge-3g-8xh100.json --out placement.json"})
public final class PlaceCommand implements Callable<Integer> {
    private static final long PROGRESS_INTERVAL_NS = 1_000_000_000L;

    @Mixin
    ScenarioArgument scenario;
    @Mixin
    FormatOption format;
    @Option(names = "--strategies", split = ",", paramLabel = "NAME",
            description = "Strategies to compare, comma-separated (default: the scenario's placement.strategies). "
                    + "Known: contiguous, group-decoupled, greedy, replicate, optaplanner.")
    List<String> strategies;
    @Option(names = "--seconds", paramLabel = "N", description = "Optional wall-clock cap on the searches in seconds "
            + "(default: the scenario's placement.solverSeconds, else none). Searches are bounded by move counts "
            + "scaled from the instance, so the same input gives the same placement on any machine; a run the cap "
            + "cuts short is reported.")
    Double seconds;
    @Option(names = "--load-profile", paramLabel = "FILE", description = "Load-profile file: "
            + "{\"layers\": [{\"layer\": 0, \"expertLoads\": [...]}]} (overrides placement.loadProfile).")
    Path loadProfile;
    @Option(names = "--co-activation", paramLabel = "FILE", description = "Co-activated expert pairs "
            + "({\"pairs\": [{\"expertA\": 0, \"expertB\": 5, \"tokensPerStep\": 900}]}) that the solver keeps on one "
            + "node; overrides placement.coActivation.")
    Path coActivationFile;
    @Option(names = "--out", paramLabel = "FILE", description = "Write the best placement here (the file "
            + "`mohge simulate --placement` reads).")
    Path outFile;
    @Spec
    CommandSpec spec;

    /** One strategy in the JSON output. */
    public record StrategyJson(String strategy, double maxGpuLoad, double imbalance, double gapToLowerBound,
                               double meanGpuTimeUs, double layerTimeUs, double maxMemoryBytes,
                               double minHeadroomBytes, boolean fitsMemory, boolean withinLimits, int extraCopies,
                               int maxCopiesOnGpu, double interNodeBytes, double coActivationBytes,
                               double solveSeconds, boolean cutByClock, double[] gpuTimeUs) {
        static StrategyJson of(PlacementResult r) {
            PlacementEvaluation e = r.evaluation();
            return new StrategyJson(r.strategy(), e.maxGpuTimeUs(), e.imbalance(), e.gapToLowerBound(),
                    e.meanGpuTimeUs(), e.layerTimeUs(), e.maxMemoryBytes(), e.minHeadroomBytes(), e.fitsMemory(),
                    e.withinLimits(), e.extraCopies(), e.maxCopiesOnGpu(), e.interNodeBytes(), e.coActivationBytes(),
                    r.solveSeconds(), r.cutByClock(), e.gpuTimeUs());
        }
    }

    /** The JSON document of {@code place --json}. */
    public record PlaceJson(String scenario, String costModel, int gpus, int experts, int profiledLayers,
                            int spareSlots, String loadSource, double lowerBoundUs, double perfectBalanceUs,
                            double largestCopyUs, String best, List<StrategyJson> strategies) {
    }

    @Override
    public Integer call() {
        ScenarioSpec s = scenario.load();
        List<String> names = strategies != null ? strategies : s.placement().strategies();
        for (String name : names) {
            if (!PlacementStrategies.NAMES.contains(name)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown placement strategy '" + name
                        + "' (known: " + String.join(", ", PlacementStrategies.NAMES) + ")");
            }
        }
        if (seconds != null && !(seconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0, got " + seconds);
        }
        ScenarioInputs.Loads input = ScenarioInputs.loads(s, scenario.file(), loadProfile);
        LoadProfile loads = input.profile();

        PlacementProblem problem = PlacementProblem.of(s.model(), s.cluster(), s.workload(), loads, s.placement(),
                s.seed());
        if (seconds != null) {
            problem = problem.withSolverSeconds(seconds);
        }
        problem = problem.withCoActivation(ScenarioInputs.coActivation(s, scenario.file(), coActivationFile));
        CostModel costModel = CostModels.forScenario(s, scenario.file());
        PlacementRunner runner = new PlacementRunner(problem, costModel);
        PrintWriter err = spec.commandLine().getErr();
        PlacementComparison comparison = runner.run(names, progress(err));
        PlacementResult best = comparison.best();
        if (outFile != null) {
            write(outFile, JsonOutput.toJson(best.placement()));
            err.println("wrote the " + best.strategy() + " placement to " + outFile);
            err.flush();
        }

        PrintWriter out = spec.commandLine().getOut();
        LowerBounds bounds = comparison.bounds();
        if (format.json()) {
            List<StrategyJson> list = new ArrayList<>();
            comparison.results().forEach(r -> list.add(StrategyJson.of(r)));
            JsonOutput.print(out, new PlaceJson(s.name(), costModel.description(), problem.gpuCount(),
                    problem.expertCount(), loads.layers().size(), problem.spareSlots(), input.source(), bounds.boundUs(),
                    bounds.perfectBalanceUs(), bounds.largestCopyUs(), best.strategy(), list));
            return ExitCodes.OK;
        }
        out.println("Placement of " + s.name() + ": " + problem.expertCount() + " experts on " + s.cluster().nodes()
                + " x " + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name() + ", spare slots "
                + problem.spareSlots() + ", loads from " + input.source() + " (" + loads.layers().size() + " layers)");
        out.println("cost model: " + costModel.description());
        out.println("lower bound on max GPU expert time: " + Units.fixed(bounds.boundUs(), 1) + " us (perfect balance "
                + Units.fixed(bounds.perfectBalanceUs(), 1) + " us, largest expert copy "
                + Units.fixed(bounds.largestCopyUs(), 1) + " us)");
        out.println();
        TextTable table = new TextTable("strategy", "max GPU us", "max/mean", "layer us", "max mem GiB",
                "min headroom GiB", "inter-node GB", "extra copies", "solve s", "gap to bound");
        for (PlacementResult r : comparison.results()) {
            PlacementEvaluation e = r.evaluation();
            table.row(r.strategy() + (e.feasible() ? "" : " (!)") + (r.cutByClock() ? " (cut)" : ""), Units.fixed(e.maxGpuTimeUs(), 1),
                    Units.fixed(e.imbalance(), 3), Units.fixed(e.layerTimeUs(), 1), Units.gib(e.maxMemoryBytes()),
                    Units.gib(e.minHeadroomBytes()), Units.fixed(e.interNodeBytes() / 1e9, 3), e.extraCopies(),
                    Units.fixed(r.solveSeconds(), 1), Units.percent(e.gapToLowerBound()));
        }
        out.print(table.render());
        if (comparison.results().stream().anyMatch(r -> !r.evaluation().feasible())) {
            out.println("(!) over HBM capacity, maxExpertsPerGpu or spareSlots");
        }
        if (comparison.results().stream().anyMatch(PlacementResult::cutByClock)) {
            out.println("(cut) stopped by the --seconds cap before its move budget: the result depends on machine "
                    + "speed and load");
        }
        out.println("best: " + best.strategy());
        return ExitCodes.OK;
    }



    /** Strategy starts always, solver lines at most once a second, on stderr. */
    private static Consumer<String> progress(PrintWriter err) {
        long[] last = {System.nanoTime() - PROGRESS_INTERVAL_NS};
        return line -> {
            long now = System.nanoTime();
            if (line.startsWith("placing") || now - last[0] >= PROGRESS_INTERVAL_NS) {
                last[0] = now;
                err.println(line);
                err.flush();
            }
        };
    }

    private static void write(Path file, String json) {
        try {
            AtomicFiles.writeString(file, json + System.lineSeparator());
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot write file (" + e.getMessage() + ")", e);
        }
    }

}
