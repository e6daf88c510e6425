package org.mohge.cli.command;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.LayeredPlacementRunner;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.PlacementComparison;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.PlacementStrategies;
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
                    + "Known: contiguous, group-decoupled, greedy, replicate, eplb, hierarchical, fast, optaplanner.")
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
            + "({\"pairs\": [{\"expertA\": 0, \"expertB\": 5, \"tokensPerStep\": 900}]}) that the solver tries to keep "
            + "on one node (their NIC time is a soft cost beside GPU time); overrides placement.coActivation.")
    Path coActivationFile;
    @Option(names = "--from", paramLabel = "FILE", description = "Re-place from this current placement file (one "
            + "map, or one per layer) for the loads given: the best placement a local search of copy moves and swaps "
            + "(within the slots the GPUs already use) reaches within --max-moves, with experts moved, bytes moved, "
            + "transfer time and the imbalance gained, per layer; not a guaranteed optimum.")
    Path fromFile;
    @Option(names = "--max-moves", paramLabel = "N", description = "With --from: expert copies each layer may add "
            + "on GPUs that did not hold them (default 0: report only).")
    Integer maxMoves;
    @Option(names = "--threads", paramLabel = "N", description = "Layers placed in parallel (default: the "
            + "available processors); the output does not depend on it.")
    Integer threads;
    @Option(names = "--timings", description = "With --json, add each search's wall-clock seconds (they vary run "
            + "to run; without them the same input gives the same bytes).")
    boolean timings;
    @Option(names = "--out", paramLabel = "FILE", description = "Write the best placement here (the feasible one "
            + "with the shortest predicted layer time; the file `mohge simulate --placement` reads).")
    Path outFile;
    @Spec
    CommandSpec spec;

    /**
     * One strategy in the JSON output: with several profiled layers, figures are means over the
     * layers. {@code solveSeconds} (wall clock, so it varies run to run) only with {@code --timings}:
     * without it the same input gives the same bytes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StrategyJson(String strategy, double maxGpuLoad, double imbalance, double gapToLowerBound,
                               double meanGpuTimeUs, double layerTimeUs, double maxMemoryBytes,
                               double minHeadroomBytes, boolean fitsMemory, boolean withinLimits, int extraCopies,
                               int maxCopiesOnGpu, double interNodeBytes, double coActivationBytes,
                               Double solveSeconds, boolean cutByClock, double[] gpuTimeUs) {
        static StrategyJson of(List<PlacementResult> layers, boolean timings) {
            int n = layers.size();
            double max = 0;
            double imbalance = 0;
            double gap = 0;
            double mean = 0;
            double layer = 0;
            double memory = 0;
            double headroom = Double.POSITIVE_INFINITY;
            boolean fits = true;
            boolean within = true;
            int extra = 0;
            int copies = 0;
            double inter = 0;
            double coActivation = 0;
            double seconds = 0;
            boolean cut = false;
            double[] gpuTime = new double[layers.get(0).evaluation().gpuTimeUs().length];
            for (PlacementResult r : layers) {
                PlacementEvaluation e = r.evaluation();
                max += e.maxGpuTimeUs() / n;
                imbalance += e.imbalance() / n;
                gap += e.gapToLowerBound() / n;
                mean += e.meanGpuTimeUs() / n;
                layer += e.layerTimeUs() / n;
                memory = Math.max(memory, e.maxMemoryBytes());
                headroom = Math.min(headroom, e.minHeadroomBytes());
                fits &= e.fitsMemory();
                within &= e.withinLimits();
                extra = Math.max(extra, e.extraCopies());
                copies = Math.max(copies, e.maxCopiesOnGpu());
                inter += e.interNodeBytes() / n;
                coActivation += e.coActivationBytes() / n;
                seconds += r.solveSeconds();
                cut |= r.cutByClock();
                double[] t = e.gpuTimeUs();
                for (int g = 0; g < gpuTime.length; g++) {
                    gpuTime[g] += t[g] / n;
                }
            }
            return new StrategyJson(layers.get(0).strategy(), max, imbalance, gap, mean, layer, memory, headroom,
                    fits, within, extra, copies, inter, coActivation, timings ? seconds : null, cut, gpuTime);
        }
    }

    /** One strategy on one layer in the JSON output. */
    public record LayerStrategyJson(String strategy, double maxGpuLoad, double imbalance, double gapToLowerBound,
                                    boolean feasible) {
    }

    /** One profiled layer in the JSON output. */
    public record LayerJson(int layer, double lowerBoundUs, String best, List<LayerStrategyJson> strategies) {
    }

    /**
     * The JSON document of {@code place --json}; {@code layers} lists each profiled layer when there are
     * several; {@code nodeSpan} is present when {@code hierarchical} ran or nodes per token are limited.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlaceJson(String scenario, String costModel, int gpus, int experts, int profiledLayers,
                            int spareSlots, String split, String loadSource, double lowerBoundUs,
                            double perfectBalanceUs, double largestCopyUs, String best, List<StrategyJson> strategies,
                            List<LayerJson> layers, List<NodeSpanReport.Json> nodeSpan) {
    }

    @Override
    public Integer call() {
        ScenarioSpec s = scenario.load().requireExperts(scenario.file(), "no experts to place");
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
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        if (outFile != null) {
            AtomicFiles.check(outFile);
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
        PrintWriter err = spec.commandLine().getErr();
        if (maxMoves != null && fromFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-moves needs --from");
        }
        if (fromFile != null) {
            if (maxMoves != null && maxMoves < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-moves must be >= 0, got "
                        + maxMoves);
            }
            LayeredPlacement current = PlacementResolver.resolveLayered(s, scenario.file(), fromFile);
            return ReplaceReport.run(problem, costModel, current, maxMoves == null ? 0 : maxMoves, s.name(),
                    format.json(), spec.commandLine().getOut(), err, outFile);
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        LayeredComparison layered = new LayeredPlacementRunner(problem, costModel, threadCount)
                .run(names, progress(err));
        boolean perLayer = layered.perLayer().size() > 1;
        String bestName = layered.best();
        if (outFile != null) {
            write(outFile, perLayer ? JsonOutput.toJson(layered.placement(bestName))
                    : JsonOutput.toJson(layered.perLayer().get(0).result(bestName).placement()));
            err.println("wrote the " + bestName + " placement" + (perLayer ? "s of " + layered.perLayer().size()
                    + " layers" : "") + " to " + outFile);
            err.flush();
        }

        PrintWriter out = spec.commandLine().getOut();
        double boundUs = 0;
        double perfectUs = 0;
        double largestUs = 0;
        for (PlacementComparison c : layered.perLayer()) {
            boundUs += c.bounds().boundUs() / layered.perLayer().size();
            perfectUs += c.bounds().perfectBalanceUs() / layered.perLayer().size();
            largestUs += c.bounds().largestCopyUs() / layered.perLayer().size();
        }
        List<String> ran = layered.strategies();
        int maxNodes = s.routing().maxNodesPerToken();
        List<NodeSpanReport.Json> nodeSpan = NodeSpanReport.wanted(ran, maxNodes)
                ? NodeSpanReport.of(problem, layered, maxNodes) : null;
        if (format.json()) {
            List<StrategyJson> list = new ArrayList<>();
            ran.forEach(name -> list.add(StrategyJson.of(layered.results(name), timings)));
            List<LayerJson> layerList = new ArrayList<>();
            if (perLayer) {
                for (int l = 0; l < layered.perLayer().size(); l++) {
                    PlacementComparison c = layered.perLayer().get(l);
                    List<LayerStrategyJson> row = new ArrayList<>();
                    c.results().forEach(r -> row.add(new LayerStrategyJson(r.strategy(), r.evaluation().maxGpuTimeUs(),
                            r.evaluation().imbalance(), r.evaluation().gapToLowerBound(), r.evaluation().feasible())));
                    layerList.add(new LayerJson(layered.layerNumbers().get(l), c.bounds().boundUs(),
                            c.best().strategy(), row));
                }
            }
            JsonOutput.print(out, new PlaceJson(s.name(), costModel.description(), problem.gpuCount(),
                    problem.expertCount(), loads.layers().size(), problem.spareSlots(),
                    problem.split().scenarioName(), input.source(), boundUs, perfectUs, largestUs, bestName, list,
                    layerList, nodeSpan));
            return ExitCodes.OK;
        }
        PlaceText.print(out, s, problem, layered, new PlaceText.Header(input.source(), costModel.description(),
                boundUs, perfectUs, largestUs), nodeSpan, maxNodes, bestName);
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

    static void write(Path file, String json) {
        try {
            AtomicFiles.writeString(file, json + System.lineSeparator());
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot write file (" + e.getMessage() + ")", e);
        }
    }

}
