package org.mohge.reports.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryTick;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextLine;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.LayerStage;

/** Charts that read right: labels never cut short, one colour per meaning, lines where captions promise them. */
class ChartReadabilityTest {
    /** The ten design labels of scenarios/paper/study-paper-claims.json, the case that was truncated. */
    static final List<String> PAPER_CLAIMS = List.of("uniform MoE 64x1024 top-4",
            "MoHGE 4 groups, group-decoupled", "MoHGE 3 groups, group-decoupled", "MoHGE 3 groups, contiguous",
            "MoHGE 3 groups, group-decoupled, no intra-group balance", "HMoE (same sizes, no groups), contiguous",
            "HMoE (same sizes, no groups), sizes dealt", "MoHGE 3 groups, group-wise bias 1",
            "MoHGE 3 groups, group-wise bias 2", "MoHGE 3 groups, group-wise bias 4");

    /** The category labels as JFreeChart lays them out at the report's size, lines joined by newlines. */
    static List<String> renderedCategoryLabels(JFreeChart chart) {
        BufferedImage image = new BufferedImage(ChartRenderer.WIDTH, ChartRenderer.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g2, new Rectangle2D.Double(0, 0, ChartRenderer.WIDTH, ChartRenderer.HEIGHT), info);
        CategoryPlot plot = chart.getCategoryPlot();
        CategoryAxis axis = plot.getDomainAxis();
        RectangleEdge edge = Plot.resolveDomainAxisLocation(plot.getDomainAxisLocation(), plot.getOrientation());
        List<String> labels = new ArrayList<>();
        for (Object t : axis.refreshTicks(g2, new AxisState(), info.getPlotInfo().getDataArea(), edge)) {
            StringBuilder text = new StringBuilder();
            for (Object line : ((CategoryTick) t).getLabel().getLines()) {
                text.append(((TextLine) line).getFirstTextFragment().getText()).append('\n');
            }
            labels.add(text.toString().strip());
        }
        g2.dispose();
        return labels;
    }

    @Test
    void longDesignNamesAreWrappedNeverCutShort() {
        ChartSpec.Bars bars = new ChartSpec.Bars("Training or serving throughput", "design", "tokens per second",
                PAPER_CLAIMS, List.of(new ChartSpec.Series("tokens/s", PAPER_CLAIMS.stream().map(l -> 4e5).toList())),
                false, Double.NaN, "");
        List<String> labels = renderedCategoryLabels(ChartRenderer.render(bars));
        assertThat(labels).hasSize(10);
        for (int i = 0; i < labels.size(); i++) {
            assertThat(labels.get(i)).doesNotEndWith("...").doesNotEndWith("\u2026");
            // Every word of the name is drawn, in order, wherever the lines break.
            assertThat(labels.get(i).replace('\n', ' ').replaceAll(" +", " ")).isEqualTo(PAPER_CLAIMS.get(i));
        }
    }

    @Test
    void aStageHasOneColourInEveryChartAndNoTwoStagesShareOne() {
        List<String> stages = new ArrayList<>();
        for (LayerStage s : LayerStage.values()) {
            stages.add(s.label());
        }
        stages.add("lm head");
        List<Paint> all = SeriesColors.forSeries(stages);
        assertThat(new HashSet<>(all)).as("distinct colours").hasSize(stages.size());
        // The same stages in another order and with fewer series keep their colours.
        List<String> some = List.of("experts", "attention", "lm head");
        List<Paint> subset = SeriesColors.forSeries(some);
        for (int i = 0; i < some.size(); i++) {
            assertThat(subset.get(i)).isEqualTo(all.get(stages.indexOf(some.get(i))));
        }
        assertThat(SeriesColors.fixedColor("attention")).isNotEqualTo(SeriesColors.fixedColor("lm head"));
    }

    @Test
    void seriesWithoutAFixedColourAvoidTheFixedOnesOfTheirChart() {
        List<Paint> paints = SeriesColors.forSeries(List.of("attention", "my own series", "experts", "another"));
        assertThat(new HashSet<>(paints)).hasSize(4);
    }

    @Test
    void gpuKindsKeepTheirColourAcrossCharts() {
        assertThat(SeriesColors.forSeries(List.of("b200", "h100-sxm")).get(1))
                .isEqualTo(SeriesColors.forSeries(List.of("h100-sxm")).get(0));
    }

    @Test
    void theParetoFrontIsALineAndTheTargetIsMarked() {
        ChartSpec.Xy xy = new ChartSpec.Xy("Cost against throughput", "cost per hour", "tokens per second",
                List.of(new ChartSpec.XySeries("Pareto front", List.of(new double[] {1, 2}, new double[] {2, 3})),
                        new ChartSpec.XySeries("h100-sxm", List.of(new double[] {3, 1}))),
                false, false, false, List.of("Pareto front"), 2.5, "target");
        XYPlot plot = ChartRenderer.render(xy).getXYPlot();
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        assertThat(renderer.getItemLineVisible(0, 0)).isTrue();
        assertThat(renderer.getItemLineVisible(1, 0)).isFalse();
        assertThat(plot.getRangeMarkers(Layer.FOREGROUND)).hasSize(1);
    }
}
