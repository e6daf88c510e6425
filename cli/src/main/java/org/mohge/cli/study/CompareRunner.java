package org.mohge.cli.study;

import org.mohge.cli.output.Eta;
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.output.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.TrainingRuns;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.PlacementSpec;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.parallel.RankMemory;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.study.CompareReport;
import org.mohge.reports.study.CompareRow;
import org.mohge.reports.table.CsvWriter;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.Simulator;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingSpec;

/** Runs every design of a comparison study (parameters and a simulation each) and writes the comparison report. */
public final class CompareRunner {
    private final Consumer<String> progress;

    public CompareRunner(Consumer<String> progress) {
        this.progress = progress;
    }

    public List<CompareRow> run(StudySpec study, Path studyFile, OutputFolder outDir) throws IOException {
        // Every design is read and checked before any is simulated: a bad entry fails at once.
        List<ScenarioSpec> designs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < study.compare().size(); i++) {
            CompareEntry entry = study.compare().get(i);
            Path file = PlacementResolver.resolveRelative(studyFile, entry.scenario());
            if (!Files.isRegularFile(file)) {
                throw new ScenarioException(studyFile + ": compare[" + i + "].scenario names a missing file '"
                        + entry.scenario() + "'");
            }
            if (entry.placement() != null && !Placements.isBuiltIn(entry.placement())
                    && !Files.isRegularFile(PlacementResolver.resolveRelative(file, entry.placement()))) {
                throw new ScenarioException(studyFile + ": compare[" + i + "].placement must be 'contiguous', "
                        + "'group-decoupled' or a placement file (relative to " + entry.scenario() + "), got '"
                        + entry.placement() + "'");
            }
            ScenarioSpec design = ScenarioLoader.load(file);
            if (design.hasServing()) {
                throw new ScenarioException(studyFile + ": compare[" + i + "].scenario " + entry.scenario() + " is a "
                        + "serving scenario (it has a serving section), which a comparison would price as one batch "
                        + "of its workload; compare deployments with mohge serve or plan");
            }
            String kind = design.model().isDense() ? "dense" : design.model().moe().kind();
            if ((entry.groupBias() != null || entry.intraGroupBalance() != null) && !kind.equals("grouped")) {
                throw new ScenarioException(studyFile + ": compare[" + i + "]." + (entry.groupBias() != null
                        ? "groupBias" : "intraGroupBalance") + " needs a grouped (MoHGE) model, " + entry.scenario()
                        + "'s is '" + kind + "'");
            }
            designs.add(withOverrides(design, entry));
            files.add(file);
        }
        List<CompareRow> rows = new ArrayList<>();
        Eta eta = new Eta(designs.size());
        for (int i = 0; i < designs.size(); i++) {
            ScenarioSpec s = designs.get(i);
            CompareEntry entry = study.compare().get(i);
            String label = entry.label() != null ? entry.label() : s.name();
            progress.accept("design " + eta.after(i) + ": " + label);
            rows.add(row(label, s, files.get(i)));
        }
        Map<String, String> footer = new LinkedHashMap<>();
        footer.put("study", study.name());
        footer.put("tool", StudyRunner.VERSION);
        footer.put("study sha-256", Digests.sha256(studyFile));
        List<String> notes = study.description() == null ? List.of() : List.of(study.description());
        Map<String, byte[]> outputs = new LinkedHashMap<>();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("study", study.name());
        json.put("designs", rows);
        outputs.put("results.json", (JsonOutput.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        outputs.put("results.csv", CsvWriter.toCsv(CompareReport.table(rows)).getBytes(StandardCharsets.UTF_8));
        progress.accept("writing the report ...");
        outDir.replaceWith(folder -> ReportWriter.writeInto(CompareReport.build(study.name(), rows, notes, footer),
                folder, outputs));
        return rows;
    }

    private CompareRow row(String label, ScenarioSpec s, Path file) {
        ParamReport params = ParamAccounting.count(s.model());
        if (s.hasLayout()) {
            return trainingRow(label, s, file, params);
        }
        LayeredPlacement placement = PlacementResolver.resolveLayered(s, file, null);
        List<MemoryEstimate> memory = MemoryModel.perGpu(s.model(), s.cluster(), s.workload(), placement,
                s.model().moe().defaultExpertShares());
        double peakGiB = memory.stream().mapToDouble(MemoryEstimate::totalBytes).max().orElse(0) / (1L << 30);
        String cluster = s.cluster().nodes() + "x" + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name();
        if (memory.stream().anyMatch(m -> !m.fits())) {
            return new CompareRow(label, s.name(), s.model().moe().kind(), placement.strategy(), cluster,
                    params.totalParams(), params.activatedParams(), null, null, null, null, peakGiB, false);
        }
        SimResult r = Simulator.run(new SimulationInput(s.model(), s.cluster(), s.workload(),
                ScenarioInputs.routing(s, file), placement, CostModels.forScenario(s, file), s.seed(),
                new SimulationSpec(s.simulation().dualBatchOverlap(), false)));
        return new CompareRow(label, s.name(), s.model().moe().kind(), placement.strategy(), cluster,
                params.totalParams(), params.activatedParams(), r.activatedParamsPerToken(), r.stepTimeUs(),
                r.tokensPerSecond(), r.imbalance(), r.peakMemoryBytes() / (1L << 30), true);
    }

    /**
     * A design with a training section (MoE or dense): the whole step under its layout, simulated as
     * {@code mohge simulate} does; experts sit in contiguous EP blocks, no imbalance is reported (null).
     */
    private static CompareRow trainingRow(String label, ScenarioSpec s, Path file, ParamReport params) {
        TrainingStepReport r = TrainingRuns.simulate(s, file, CostModels.forScenario(s, file)).report();
        String cluster = s.cluster().nodes() + "x" + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name();
        boolean fits = r.memory().stream().allMatch(RankMemory::fits);
        double peakGiB = r.peakMemory().totalBytes() / (1L << 30);
        return new CompareRow(label, s.name(), s.model().isDense() ? "dense" : s.model().moe().kind(), r.layout(),
                cluster, params.totalParams(), params.activatedParams(), params.activatedParams(),
                fits ? r.stepTimeUs() : null, fits ? r.tokensPerSecondPerGpu() * r.gpus() : null, null, peakGiB,
                fits);
    }

    static ScenarioSpec withOverrides(ScenarioSpec s, CompareEntry e) {
        PlacementSpec p = s.placement();
        if (e.placement() != null) {
            p = p.withUse(e.placement());
        }
        RoutingSpec r = s.routing();
        if (e.groupBias() != null || e.intraGroupBalance() != null) {
            r = r.withBalance(e.groupBias() != null ? e.groupBias() : r.groupBias(),
                    e.intraGroupBalance() != null ? e.intraGroupBalance() : r.intraGroupBalance(), r.skew());
        }
        return new ScenarioSpec(s.name(), s.seed(), s.model(), s.cluster(), s.workload(), r, p, s.output(),
                s.simulation(), s.calibration(), s.serving(), s.parallelism(), s.training(), s.precision());
    }
}
