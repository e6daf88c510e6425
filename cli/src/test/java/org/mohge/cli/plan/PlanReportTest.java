package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.plan.PlanReport;
import org.mohge.reports.plan.PlanRow;

/** The plan report's chart datasets and tables on hand-made rows. */
class PlanReportTest {
    private static PlanRow row(String id, String gpu, int gpus, String placement, String status, double cost,
                               double tokensPerSecond, double imbalance, double ratio, boolean pareto) {
        return new PlanRow(id, id, gpu, gpus, placement, status, "", cost, tokensPerSecond, 1.0, imbalance, 10, 50, ratio,
                false, pareto);
    }

    private static final List<PlanRow> ROWS = List.of(
            row("p1", "h100-sxm", 8, "contiguous", "ok", 20, 100, 2.0, 4, true),
            row("p2", "h100-sxm", 8, "greedy", "ok", 20, 150, 1.1, 4, true),
            row("p3", "h100-sxm", 16, "greedy", "ok", 40, 120, 1.2, 4, false),
            row("p4", "b200", 8, "greedy", "ok", 44, 300, 1.0, 2, true),
            row("p5", "b200", 16, "greedy", "does-not-fit", 88, Double.NaN, Double.NaN, 2, false));

    @Test
    void scalingChartTakesTheFastestFittingPointOfEachSizePerGpu() {
        ChartSpec.Xy chart = PlanReport.scalingChart(ROWS);
        assertThat(chart.series()).extracting(ChartSpec.XySeries::name).containsExactly("h100-sxm", "b200");
        // h100-sxm: 8 GPUs best of 100 and 150; 16 GPUs 120. b200: 16 GPUs does not fit, so only 8 GPUs
        assertThat(chart.series().get(0).points()).containsExactly(new double[] {8, 150}, new double[] {16, 120});
        assertThat(chart.series().get(1).points()).containsExactly(new double[] {8, 300});
    }

    @Test
    void paretoChartPutsTheBestAndTheFrontFirstSoTheyAreDrawnOnTop() {
        ChartSpec.Xy chart = PlanReport.paretoChart(ROWS, "p4");
        assertThat(chart.series()).extracting(ChartSpec.XySeries::name)
                .containsExactly("best meeting the target", "Pareto front", "h100-sxm", "b200");
        assertThat(chart.series().get(0).points()).containsExactly(new double[] {44, 300});
        assertThat(chart.series().get(1).points()).containsExactly(new double[] {20, 100}, new double[] {20, 150},
                new double[] {44, 300});
        assertThat(PlanReport.paretoChart(ROWS, null).series()).hasSize(3);
    }

    @Test
    void imbalanceChartHasOneSeriesPerPlacementOfFittingPoints() {
        ChartSpec.Xy chart = PlanReport.imbalanceChart(ROWS);
        assertThat(chart.series()).extracting(ChartSpec.XySeries::name).containsExactly("contiguous", "greedy");
        assertThat(chart.series().get(1).points()).containsExactly(new double[] {4, 1.1}, new double[] {4, 1.2},
                new double[] {2, 1.0});
    }

    @Test
    void tableShowsDashesForPointsWithoutTimes() {
        List<String> cells = PlanReport.table(ROWS).rows().get(4);
        assertThat(cells.get(5)).isEqualTo("does-not-fit");
        assertThat(cells.get(6)).isEqualTo("88.00");
        assertThat(cells.get(7)).isEqualTo("-");
    }
}
