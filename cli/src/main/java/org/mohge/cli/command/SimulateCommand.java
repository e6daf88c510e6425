package org.mohge.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.mohge.cli.option.ForceOption;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.PlacementOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.scenario.WorkEstimate;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.TrainingRuns;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.sim.InputFileException;
import org.mohge.sim.SimRun;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.Simulator;
import org.mohge.sim.TrainingSimulator;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.sim.metrics.GpuStats;
import org.mohge.sim.metrics.GroupUsage;
import org.mohge.sim.metrics.LayerStats;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.metrics.StageTime;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.trace.ChromeTraceWriter;
import org.mohge.sim.trace.PipelineTraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge simulate}: discrete-event simulation of training or inference steps. */
@Command(name = "simulate",
        header = "Simulate steps on the cluster: step time, GPU balance, traffic, memory.",
        description = {"Simulate steps of the scenario's model on its cluster: routing draws,",
            "per-GPU expert work, all-to-alls and waits; prints the step time, GPU",
            "utilisation and balance.",
            "",
            "Routing follows the scenario's `routing` section (synthetic or a trace),",
            "the placement its `placement.use` unless --placement is given."},
        footer = {"", "Examples:",
            "  mohge simulate scenarios/examples/sim-mohge-4g-8xh100-contiguous.json",
            "  mohge simulate scenarios/paper/mohge-4g-8xh100.json --json",
            "  mohge simulate scenarios/examples/sim-trace-replay.json --trace t.json",
            "",
            "Open a --trace file in https://ui.perfetto.dev: one process per GPU,",
            "compute and links on separate tracks."})
public final class SimulateCommand implements Callable<Integer> {
    private static final int MAX_GPU_ROWS = 16;
    private static final int WORST_LAYERS = 5;

    @Mixin
    ScenarioArgument scenario;
    @Mixin
    ForceOption force;
    @Mixin
    FormatOption format;
    @Mixin
    PlacementOption placementOption;
    @Option(names = "--trace", paramLabel = "FILE",
            description = "Also write the first step as Chrome trace-event JSON (opens in Perfetto).")
    Path traceFile;
    @Option(names = "--dual-batch",
            description = "Split each micro-batch in two halves that overlap communication with compute.")
    boolean dualBatch;
    @Option(names = "--no-memory-check", description = "Simulate even when a GPU's memory would overflow.")
    boolean noMemoryCheck;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ScenarioSpec s = force.checked(scenario.load(), scenario.file());
        if (traceFile != null) {
            AtomicFiles.check(traceFile);
        }
        if (s.hasLayout()) {
            return simulateTraining(s);
        }
        s.requireExperts(scenario.file(), "the workload model simulates expert-parallel MoE layers; give a training "
                + "section to simulate a dense step");
        LayeredPlacement placement = PlacementResolver.resolveLayered(s, scenario.file(), placementOption.file());
        RoutingSpec routing = ScenarioInputs.routing(s, scenario.file());
        SimulationInput input = new SimulationInput(s.model(), s.cluster(), s.workload(), routing, placement,
                CostModels.forScenario(s, scenario.file()), s.seed(), new SimulationSpec(dualBatch || s.simulation().dualBatchOverlap(),
                        !noMemoryCheck && s.simulation().checkMemory()));
        double estimateSeconds = WorkEstimate.seconds(s);
        if (estimateSeconds > 2) {
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "[simulate] about %.0f s of simulation (%.3g "
                    + "routing decisions) ...%n", estimateSeconds, WorkEstimate.decisions(s));
            spec.commandLine().getErr().flush();
        }
        SimRun run;
        try {
            run = Simulator.runWithSchedule(input);
        } catch (InputFileException e) {
            throw new ScenarioException(e.getMessage(), e);
        } catch (SpecViolation e) {
            Path source = placementOption.file() != null ? placementOption.file() : scenario.file();
            String hint = e.rule().startsWith("needs ") ? " (--no-memory-check simulates anyway)" : "";
            throw new ScenarioException(source + ": " + e.getMessage() + hint, e);
        }
        SimResult r = run.result();
        RebalanceComparison rebalanced = s.placement().rebalance() == null ? null
                : RebalanceComparison.run(s, input, r, input.costModel());
        if (traceFile != null) {
            AtomicFiles.write(traceFile, out -> ChromeTraceWriter.write(run.firstStep(), s.cluster(), out));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            ObjectNode json = JsonOutput.mapper().createObjectNode();
            json.put("scenario", s.name());
            json.setAll((ObjectNode) JsonOutput.mapper().valueToTree(r));
            if (rebalanced != null) {
                json.set("rebalance", JsonOutput.mapper().valueToTree(rebalanced.json()));
            }
            JsonOutput.print(out, json);
        } else {
            printText(out, s, r);
            if (rebalanced != null) {
                rebalanced.print(out);
            }
        }
        if (traceFile != null) {
            spec.commandLine().getErr().println("wrote the Chrome trace of step 0 to " + traceFile);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }

    /** A training scenario: the whole step under its parallel layout, one rank per pipeline stage. */
    private Integer simulateTraining(ScenarioSpec s) throws IOException {
        placementOption.requireNoneForTraining(scenario.file());
        if (dualBatch) {
            throw new ScenarioException("--dual-batch: not used for " + scenario.file() + ", whose training section "
                    + "prices the step under its parallel layout (parallelism.epOverlap overlaps its expert exchanges); "
                    + "give it for a scenario without training");
        }
        if (s.placement().rebalance() != null) {
            throw new ScenarioException(scenario.file() + ": placement.rebalance needs the expert-parallel simulation "
                    + "(a scenario without training); the training step under a layout draws expert loads per stage");
        }
        CostModel costModel = CostModels.forScenario(s, scenario.file());
        TrainingSimulator.TrainingRun run = TrainingRuns.simulate(s, scenario.file(), costModel);
        if (!noMemoryCheck && s.simulation().checkMemory()) {
            TrainingStepOutput.requireFits(s, run.report(), scenario.file());
        }
        if (traceFile != null) {
            AtomicFiles.write(traceFile, out -> PipelineTraceWriter.write(run.schedule(), out));
        }
        TrainingStepOutput.print(spec.commandLine().getOut(), s, costModel.description(), run.report(),
                format.json());
        if (traceFile != null) {
            spec.commandLine().getErr().println("wrote the Chrome trace of the pipeline (one process per stage) to "
                    + traceFile);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }

    private static void printText(PrintWriter out, ScenarioSpec s, SimResult r) {
        out.println("Simulation of " + s.name() + ": " + s.workload().kind().label() + ", " + s.cluster().nodes()
                + " x " + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name() + ", placement " + r.placement()
                + ", routing " + s.routing().model().label() + "/" + r.fidelity() + ", seed " + r.seed());
        out.println("cost model: " + r.costModel());
        out.println(r.steps() + " step(s) of " + Units.count(r.tokensPerStep()) + " tokens in " + r.microBatches()
                + " micro-batch(es)" + (r.dualBatchOverlap() ? ", dual micro-batch overlap" : ""));
        out.println();
        out.println("step time: " + Units.fixed(r.stepTimeUs() / 1e3, 3) + " ms, " + Units.count(r.tokensPerSecond())
                + " tokens/s");
        out.println("imbalance (worst layer, max/mean expert time across GPUs): " + Units.fixed(r.imbalance(), 3)
                + "; tokens received: " + Units.fixed(r.tokenImbalance(), 3));
        out.println("mean GPU utilisation (compute stream busy): " + Units.percent(r.meanUtilisation()));
        out.println("all-to-all per step: " + Units.fixed(r.intraNodeBytes() / 1e9, 3) + " GB over NVLink, "
                + Units.fixed(r.interNodeBytes() / 1e9, 3) + " GB across nodes");
        out.println("activated params per token as routed: " + Units.count(r.activatedParamsPerToken())
                + " (routed experts " + Units.count(r.activatedRoutedParamsPerToken()) + ")");
        StringBuilder mix = new StringBuilder("expert usage by size: ");
        for (GroupUsage g : r.groupUsage()) {
            mix.append(g.sizeClass() == 0 ? "" : ", ").append("hidden ").append(g.expertHidden()).append(" ")
                    .append(Units.percent(g.share()));
        }
        out.println(mix);
        out.println();
        out.println("Time per GPU per step by stage (mean over GPUs, us):");
        TextTable stages = new TextTable("stage", "forward", "backward", "max on a GPU");
        for (StageTime st : r.stages()) {
            stages.row(st.stage(), Units.fixed(st.forwardUs(), 1), Units.fixed(st.backwardUs(), 1),
                    Units.fixed(st.maxGpuUs(), 1));
        }
        out.print(stages.render());
        out.println();
        List<GpuStats> gpus = r.gpus().size() <= MAX_GPU_ROWS ? r.gpus() : r.gpus().stream()
                .sorted(Comparator.comparingDouble(GpuStats::idleUs).reversed().thenComparingInt(GpuStats::gpu))
                .limit(MAX_GPU_ROWS / 2).toList();
        out.println(gpus.size() < r.gpus().size() ? "The " + gpus.size() + " most idle of " + r.gpus().size()
                + " GPUs (--json lists all):" : "Per GPU (us per step):");
        TextTable table = new TextTable("gpu", "node", "compute", "links", "idle", "utilisation", "expert",
                "tokens in", "memory GiB");
        for (GpuStats g : gpus) {
            table.row(g.gpu(), g.node(), Units.fixed(g.computeBusyUs(), 1), Units.fixed(g.communicationUs(), 1),
                    Units.fixed(g.idleUs(), 1), Units.percent(g.utilisation()), Units.fixed(g.expertTimeUs(), 1),
                    Units.count(g.tokensReceived()), Units.gib(g.peakMemoryBytes()));
        }
        out.print(table.render());
        out.println();
        out.println("Least balanced MoE layers:");
        TextTable layers = new TextTable("layer", "expert imbalance", "token imbalance", "max expert us",
                "mean expert us");
        r.layers().stream()
                .sorted(Comparator.comparingDouble(LayerStats::expertImbalance).reversed()
                        .thenComparingInt(LayerStats::layer))
                .limit(WORST_LAYERS)
                .forEach(l -> layers.row(l.layer(), Units.fixed(l.expertImbalance(), 3),
                        Units.fixed(l.tokenImbalance(), 3), Units.fixed(l.maxExpertTimeUs(), 1),
                        Units.fixed(l.meanExpertTimeUs(), 1)));
        out.print(layers.render());
        out.flush();
    }
}
