package org.mohge.cli.study;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.TrainingRuns;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.study.TrainingStudyReport;
import org.mohge.reports.table.CsvWriter;
import org.mohge.sim.TrainingSimulator;
import org.mohge.sim.trace.PipelineTraceWriter;

/**
 * {@code mohge study} on a scenario with a {@code training} section: the whole step under its
 * parallel layout, simulated as {@code mohge simulate} does (expert loads drawn from the routing
 * model for a MoE model) next to {@code cost}'s mean-field estimate, written as DIR/index.html with
 * the pipeline timeline (one row per stage) and memory per rank, results.json, results.csv (one row
 * per stage) and trace.json (the step in Perfetto, one process per stage).
 */
public final class TrainingStudy {
    private TrainingStudy() {
    }

    public static Path run(ScenarioSpec s, Path file, OutputFolder outDir, Consumer<String> progress)
            throws IOException {
        CostModel costModel = CostModels.forScenario(s, file);
        progress.accept("simulating the training step (" + s.layout().microBatches() + " micro-batches per "
                + "pipeline) ...");
        TrainingSimulator.TrainingRun run = TrainingRuns.simulate(s, file, costModel);
        TrainingStepReport estimate = TrainingStep.estimate(s.model(), s.layout(), s.resolvedPrecision(), costModel,
                s.routing().maxNodesPerToken());
        ParamReport params = ParamAccounting.count(s.model());
        TrainingStepReport step = run.report();

        Map<String, String> footer = new LinkedHashMap<>();
        footer.put("scenario", s.name());
        footer.put("seed", Long.toString(s.seed()));
        footer.put("scenario sha-256", Digests.sha256(file));
        footer.put("cost model", costModel.description());
        footer.put("tool", StudyRunner.VERSION);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", s.name());
        json.put("seed", s.seed());
        json.put("costModel", costModel.description());
        json.put("totalParams", params.totalParams());
        json.put("activatedParams", Math.round(params.activatedParams()));
        json.put("simulated", step);
        json.put("estimated", estimate);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("results.json", (JsonOutput.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("results.csv", CsvWriter.toCsv(TrainingStudyReport.stageTable(step)).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        PipelineTraceWriter.write(run.schedule(), trace);
        files.put("trace.json", trace.toByteArray());
        progress.accept("writing the report ...");
        outDir.replaceWith(folder -> ReportWriter.writeInto(TrainingStudyReport.build(s.name(),
                summary(s, params, step, estimate), step, run.schedule(), footer), folder, files));
        return outDir.path();
    }

    private static List<String> summary(ScenarioSpec s, ParamReport params, TrainingStepReport step,
                                        TrainingStepReport estimate) {
        ModelSpec m = s.model();
        Precision p = s.resolvedPrecision();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Model: %s, %d layers, hidden %d; %.2fB total, %.2fB activated "
                        + "parameters.", m.isDense() ? "dense" : m.moe().kind() + " MoE (" + m.moe().expertCount()
                        + " routed experts, " + m.moe().routedExpertsPerToken() + " per token)", m.layers(),
                m.hiddenSize(), params.totalParams() / 1e9, params.activatedParams() / 1e9));
        lines.add(String.format(Locale.ROOT, "Cluster: %d x %d %s; layout %s, %s schedule, recompute %s.",
                s.cluster().nodes(), s.cluster().gpusPerNode(), s.cluster().gpu().name(), step.layout(),
                s.layout().schedule().label(), s.layout().recompute().label()));
        lines.add(String.format(Locale.ROOT, "Batch: %d sequences of %d tokens per step, micro-batches of %d; "
                        + "precision %s (gemm %s, attention %s, grads %s).", s.training().globalBatchSize(),
                s.training().sequenceLength(), s.training().microBatchSize(), p.recipe().label(), p.gemm().label(),
                p.attention().label(), p.grads().label()));
        lines.add(String.format(Locale.ROOT, "Simulated step %.1f ms (%.0f tokens/s/GPU); cost's mean-field "
                        + "estimate %.1f ms (%.0f tokens/s/GPU).", step.stepTimeUs() / 1e3, step.tokensPerSecondPerGpu(),
                estimate.stepTimeUs() / 1e3, estimate.tokensPerSecondPerGpu()));
        return lines;
    }
}
