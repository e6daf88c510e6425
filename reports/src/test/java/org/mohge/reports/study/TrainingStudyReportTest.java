package org.mohge.reports.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.PrecisionSpec;
import org.mohge.costmodel.parallel.StagePrice;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.sim.TrainingSimulator;

/** The training study's pipeline chart against a 1F1B schedule worked out by hand. */
class TrainingStudyReportTest {
    /** A dense 8-layer toy over pp 4 on one node of 4 H100; 8 micro-batches of 16 tokens. */
    static final ModelSpec MODEL = new ModelSpec(8, 8, 0, 16, 10, false, DType.BF16, new GqaAttention(2, 1, 4), null);
    static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 4);
    static final Precision BF16 = new PrecisionSpec(PrecisionRecipe.BF16, null, null, null, null, null, null, null)
            .resolve();

    @Test
    void pipelineChartHasOneRowPerStageAndTheScheduleOfOneFOneB() {
        ParallelLayout layout = ParallelLayout.of(new ParallelismSpec(1, 4, 1, 1, 1, 1, null, null, null, null, null),
                new TrainingSpec(8, 1, 16, null, null), MODEL, CLUSTER);
        // Forward 1 ms, backward 2 ms per stage and micro-batch, free sends, no optimizer or DP work.
        List<StagePrice> prices = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            prices.add(new StagePrice(s, 2, 1000, 2000, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        TrainingSimulator.TrainingRun run = TrainingSimulator.run(MODEL, layout, BF16, new AnalyticalCostModel(CLUSTER),
                prices);
        ChartSpec.Gantt chart = TrainingStudyReport.pipelineChart(run.schedule());
        assertThat(chart.lanes()).containsExactly("stage 0", "stage 1", "stage 2", "stage 3");
        // 4 stages x 8 micro-batches x (forward + backward); zero-length ops (the optimizer here) are not drawn.
        assertThat(chart.tasks()).hasSize(64);
        // Stage s starts its first forward when stage s - 1 has finished its own: at s ms.
        for (int s = 0; s < 4; s++) {
            int stage = s;
            double first = chart.tasks().stream().filter(t -> t.lane() == stage).mapToDouble(ChartSpec.Task::start)
                    .min().orElseThrow();
            assertThat(first).isCloseTo(s, within(1e-9));
        }
        // The step is (m + p - 1)(f + b) = 11 x 3 = 33 ms: the last backward of stage 0 ends there.
        double end = chart.tasks().stream().mapToDouble(ChartSpec.Task::end).max().orElseThrow();
        assertThat(end).isCloseTo(33, within(1e-9));

        Report report = TrainingStudyReport.build("toy", List.of("summary"), run.report(), run.schedule(), Map.of());
        assertThat(report.sections()).extracting(s -> s.id()).containsExactly("step", "pipeline", "memory");
        assertThat(report.sections().get(1).blocks().get(0)).isInstanceOf(Block.Chart.class);
        // One memory row per stage.
        assertThat(TrainingStudyReport.memoryTable(run.report()).rows()).hasSize(4);
    }
}
