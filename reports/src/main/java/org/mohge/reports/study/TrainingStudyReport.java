package org.mohge.reports.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mohge.costmodel.parallel.RankMemory;
import org.mohge.costmodel.parallel.StageReport;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;
import org.mohge.sim.core.RankProgram;
import org.mohge.sim.core.RankProgramRunner.RankSchedule;

/**
 * The study report of a training scenario under a parallel layout: the simulated step's figures,
 * the pipeline as a timeline with one row per stage (the rank that stands for it), each stage's
 * work and exposed communication, and memory per rank against capacity.
 */
public final class TrainingStudyReport {
    private static final double GIB = 1L << 30;

    private TrainingStudyReport() {
    }

    public static Report build(String name, List<String> summary, TrainingStepReport step, RankSchedule schedule,
                               Map<String, String> footer) {
        List<Section> sections = new ArrayList<>();
        List<Block> overview = new ArrayList<>();
        summary.forEach(line -> overview.add(new Block.Paragraph(line)));
        overview.add(new Block.Paragraph("Folded: " + step.folded() + "."));
        overview.add(new Block.TableBlock(stepTable(step), "step"));
        if (!step.memory().stream().allMatch(RankMemory::fits)) {
            RankMemory peak = step.peakMemory();
            overview.add(new Block.Callout(Block.Level.WARNING, String.format(Locale.ROOT, "Stage %d needs %.1f GiB "
                    + "per rank of the GPU's %.1f GiB: the layout does not fit as written.", peak.stage(),
                    peak.totalBytes() / GIB, peak.capacityBytes() / GIB)));
        }
        sections.add(new Section("step", "Training step", overview));
        sections.add(new Section("pipeline", "Pipeline", List.of(
                new Block.Chart(pipelineChart(schedule), "pipeline",
                        "One row per pipeline stage: gaps are the bubble (a stage waiting for its neighbour's "
                                + "activations or gradients); the full step, every stream, is in trace.json for "
                                + "ui.perfetto.dev."),
                new Block.TableBlock(stageTable(step), "stages"))));
        sections.add(new Section("memory", "Memory per rank", List.of(
                new Block.Chart(memoryChart(step), "memory",
                        "Each stage's rank against the GPU's capacity: 1F1B keeps more micro-batches in flight on "
                                + "the first stages."),
                new Block.TableBlock(memoryTable(step), "memory"))));
        return new Report("Training study: " + name, step.layout(), sections, footer);
    }

    /** The headline figures, one row per metric. */
    public static Table stepTable(TrainingStepReport r) {
        return Table.builder("metric", "value")
                .row("step time (ms)", fixed(r.stepTimeUs() / 1e3, 1))
                .row("tokens per step", r.tokensPerStep())
                .row("micro-batches per pipeline", r.microBatches())
                .row("tokens/s/GPU", fixed(r.tokensPerSecondPerGpu(), 0))
                .row("model TFLOP/s/GPU", fixed(r.modelTflopsPerGpu(), 1))
                .row("MFU", fixed(100 * r.mfu(), 1) + "%")
                .row("pipeline bubble", fixed(100 * r.bubbleShare(), 1) + "%")
                .row("exposed tp / cp / ep / pp / dp (ms)", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f / %.1f",
                        r.exposed().tpUs() / 1e3, r.exposed().cpUs() / 1e3, r.exposed().epUs() / 1e3,
                        r.exposed().ppUs() / 1e3, r.exposed().dpUs() / 1e3))
                .row("peak memory per rank (GiB)", fixed(r.peakMemory().totalBytes() / GIB, 2))
                .build();
    }

    public static Table stageTable(TrainingStepReport r) {
        Table.Builder t = Table.builder("stage", "layers", "forward ms", "backward ms", "busy ms", "idle", "tp ms",
                "cp ms", "ep ms", "grad reduce ms", "param gather ms", "optimizer ms");
        for (StageReport s : r.stages()) {
            t.row(s.stage(), s.layers(), fixed(s.forwardUs() / 1e3, 2), fixed(s.backwardUs() / 1e3, 2),
                    fixed(s.busyUs() / 1e3, 1), fixed(100 * s.idleShare(), 1) + "%", fixed(s.tpUs() / 1e3, 1),
                    fixed(s.cpUs() / 1e3, 1), fixed(s.epUs() / 1e3, 1), fixed(s.gradReduceUs() / 1e3, 1),
                    fixed(s.paramGatherUs() / 1e3, 1), fixed(s.optimizerUs() / 1e3, 1));
        }
        return t.build();
    }

    public static Table memoryTable(TrainingStepReport r) {
        Table.Builder t = Table.builder("stage", "weights GiB", "grads GiB", "optimizer GiB", "activations GiB",
                "micro-batches held", "total GiB", "capacity GiB", "fits");
        for (RankMemory m : r.memory()) {
            t.row(m.stage(), fixed(m.weightBytes() / GIB, 2), fixed(m.gradientBytes() / GIB, 2),
                    fixed(m.optimizerBytes() / GIB, 2), fixed(m.activationBytes() / GIB, 2),
                    fixed(m.inFlightMicroBatches(), 1), fixed(m.totalBytes() / GIB, 2),
                    fixed(m.capacityBytes() / GIB, 2), m.fits() ? "yes" : "NO");
        }
        return t.build();
    }

    /** Every compute-stream op of the step, one lane per stage, in ms from the step's start. */
    public static ChartSpec.Gantt pipelineChart(RankSchedule schedule) {
        RankProgram program = schedule.program();
        List<String> lanes = new ArrayList<>();
        for (int s = 0; s < program.ranks(); s++) {
            lanes.add("stage " + s);
        }
        List<ChartSpec.Task> tasks = new ArrayList<>();
        for (RankProgram.RankOp op : program.ops()) {
            long start = schedule.startNs()[op.id()];
            long end = schedule.endNs()[op.id()];
            if (op.stream() == RankProgram.Stream.COMPUTE && end > start) {
                tasks.add(new ChartSpec.Task(op.rank(), op.label().label(), start / 1e6, end / 1e6));
            }
        }
        return new ChartSpec.Gantt("Pipeline schedule (compute stream of each stage)", "time (ms)", lanes, tasks);
    }

    public static ChartSpec.Bars memoryChart(TrainingStepReport r) {
        List<String> stages = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Double> grads = new ArrayList<>();
        List<Double> optimizer = new ArrayList<>();
        List<Double> activations = new ArrayList<>();
        for (RankMemory m : r.memory()) {
            stages.add("stage " + m.stage());
            weights.add(m.weightBytes() / GIB);
            grads.add(m.gradientBytes() / GIB);
            optimizer.add(m.optimizerBytes() / GIB);
            activations.add(m.activationBytes() / GIB);
        }
        return new ChartSpec.Bars("Memory per rank", "pipeline stage", "GiB", stages, List.of(
                new ChartSpec.Series("weights", weights), new ChartSpec.Series("gradients", grads),
                new ChartSpec.Series("optimizer", optimizer), new ChartSpec.Series("activations", activations)),
                true, r.peakMemory().capacityBytes() / GIB, "capacity");
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
