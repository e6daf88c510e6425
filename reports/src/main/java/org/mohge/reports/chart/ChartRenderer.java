package org.mohge.reports.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Turns {@link ChartSpec}s into themed JFreeCharts and writes them as PNG at a fixed size. */
public final class ChartRenderer {
    public static final int WIDTH = 1200;
    public static final int HEIGHT = 700;
    /** Category labels longer than this turn a bar chart horizontal. */
    static final int SHORT_LABEL = 14;
    static final int MAX_LABEL_LINES = 4;

    private ChartRenderer() {
    }

    /** A fresh formatter per use: DecimalFormat is not thread-safe and plan renders charts in parallel. */
    private static DecimalFormat numbers() {
        return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    public static JFreeChart render(ChartSpec spec) {
        // Java 17 has no pattern switch; the sealed interface keeps this chain exhaustive by review.
        JFreeChart chart;
        if (spec instanceof ChartSpec.Bars bars) {
            chart = bars(bars);
        } else if (spec instanceof ChartSpec.Xy xy) {
            chart = xy(xy);
        } else {
            chart = gantt((ChartSpec.Gantt) spec);
        }
        ChartTheme.apply(chart);
        return chart;
    }

    public static void writePng(ChartSpec spec, OutputStream out) throws IOException {
        ChartUtils.writeChartAsPNG(out, render(spec), WIDTH, HEIGHT);
    }

    private static JFreeChart bars(ChartSpec.Bars spec) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ChartSpec.Series s : spec.series()) {
            for (int i = 0; i < spec.categories().size(); i++) {
                data.addValue(s.values().get(i), s.name(), spec.categories().get(i));
            }
        }
        BarRenderer renderer = spec.stacked() ? new StackedBarRenderer() : new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        List<java.awt.Paint> paints = SeriesColors.forSeries(spec.series().stream().map(ChartSpec.Series::name)
                .toList());
        for (int i = 0; i < paints.size(); i++) {
            renderer.setSeriesPaint(i, paints.get(i));
        }
        CategoryAxis categories = new CategoryAxis(spec.categoryAxis());
        // Long names read best as rows beside horizontal bars, wrapped, never cut short with an ellipsis.
        boolean horizontal = spec.categories().stream().anyMatch(c -> c.length() > SHORT_LABEL);
        categories.setMaximumCategoryLabelLines(MAX_LABEL_LINES);
        if (horizontal) {
            categories.setMaximumCategoryLabelWidthRatio(0.35f);
        } else if (spec.categories().size() > 12) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        NumberAxis values = new NumberAxis(spec.valueAxis());
        values.setNumberFormatOverride(numbers());
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL);
        if (!Double.isNaN(spec.referenceLine())) {
            ValueMarker marker = new ValueMarker(spec.referenceLine(), Color.RED, new BasicStroke(2f));
            marker.setLabel(spec.referenceLabel());
            marker.setLabelFont(ChartTheme.TICK);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(marker);
            values.setUpperBound(Math.max(values.getUpperBound(), spec.referenceLine() * 1.08));
        }
        return new JFreeChart(spec.title(), ChartTheme.TITLE, plot, spec.series().size() > 1);
    }

    private static JFreeChart xy(ChartSpec.Xy spec) {
        XYSeriesCollection data = new XYSeriesCollection();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (ChartSpec.XySeries s : spec.series()) {
            XYSeries series = new XYSeries(s.name(), false, true);
            for (double[] p : s.points()) {
                series.add(p[0], p[1]);
                min = Math.min(min, Math.min(p[0], p[1]));
                max = Math.max(max, Math.max(p[0], p[1]));
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(spec.lines(), true);
        List<java.awt.Paint> paints = SeriesColors.forSeries(spec.series().stream().map(ChartSpec.XySeries::name)
                .toList());
        for (int i = 0; i < spec.series().size(); i++) {
            renderer.setSeriesPaint(i, paints.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(2.5f));
            if (spec.lineSeries().contains(spec.series().get(i).name())) {
                renderer.setSeriesLinesVisible(i, true);
            }
        }
        NumberAxis x;
        if (spec.logX()) {
            LogAxis log = new LogAxis(spec.xAxis());
            log.setBase(2);
            log.setNumberFormatOverride(numbers());
            XYPlot plot = new XYPlot(data, log, yAxis(spec), renderer);
            return finishXy(spec, plot, min, max);
        }
        x = new NumberAxis(spec.xAxis());
        x.setNumberFormatOverride(numbers());
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, yAxis(spec), renderer);
        return finishXy(spec, plot, min, max);
    }

    private static NumberAxis yAxis(ChartSpec.Xy spec) {
        NumberAxis y = new NumberAxis(spec.yAxis());
        y.setNumberFormatOverride(numbers());
        y.setAutoRangeIncludesZero(false);
        return y;
    }

    private static JFreeChart finishXy(ChartSpec.Xy spec, XYPlot plot, double min, double max) {
        if (spec.diagonal() && min < max) {
            plot.addAnnotation(new XYLineAnnotation(min, min, max, max, new BasicStroke(1.5f), Color.GRAY));
        }
        if (!Double.isNaN(spec.yReference())) {
            ValueMarker marker = new ValueMarker(spec.yReference(), Color.RED, new BasicStroke(2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            marker.setLabel(spec.yReferenceLabel());
            marker.setLabelFont(ChartTheme.TICK);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(marker);
            NumberAxis y = (NumberAxis) plot.getRangeAxis();
            y.setUpperBound(Math.max(y.getUpperBound(), spec.yReference() * 1.08));
        }
        return new JFreeChart(spec.title(), ChartTheme.TITLE, plot, spec.series().size() > 1);
    }

    private static JFreeChart gantt(ChartSpec.Gantt spec) {
        Map<String, XYIntervalSeries> byKind = new LinkedHashMap<>();
        for (ChartSpec.Task t : spec.tasks()) {
            byKind.computeIfAbsent(t.kind(), XYIntervalSeries::new)
                    .add(t.lane(), t.lane() - 0.4, t.lane() + 0.4, t.start(), t.start(), t.end());
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        byKind.values().forEach(data::addSeries);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        List<String> kinds = new ArrayList<>(byKind.keySet());
        List<java.awt.Paint> paints = SeriesColors.forSeries(kinds);
        for (int i = 0; i < kinds.size(); i++) {
            renderer.setSeriesPaint(i, paints.get(i));
        }
        SymbolAxis lanes = new SymbolAxis("", spec.lanes().toArray(new String[0]));
        lanes.setGridBandsVisible(false);
        NumberAxis time = new NumberAxis(spec.timeAxis());
        time.setNumberFormatOverride(numbers());
        XYPlot plot = new XYPlot(data, lanes, time, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        return new JFreeChart(spec.title(), ChartTheme.TITLE, plot, true);
    }
}
