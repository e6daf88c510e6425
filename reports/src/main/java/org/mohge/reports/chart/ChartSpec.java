package org.mohge.reports.chart;

import java.util.List;

/**
 * What a chart shows, as plain data: the dataset half of every chart. {@link ChartRenderer}
 * turns a spec into a JFreeChart; tests assert on specs, not on pixels.
 */
public sealed interface ChartSpec permits ChartSpec.Bars, ChartSpec.Xy, ChartSpec.Gantt {

    String title();

    /**
     * Bars over categories, one bar per series in each category, or stacked series.
     * {@code referenceLine} draws a horizontal line (a capacity or a bound) when not NaN.
     */
    record Bars(String title, String categoryAxis, String valueAxis, List<String> categories, List<Series> series,
                boolean stacked, double referenceLine, String referenceLabel) implements ChartSpec {
        public Bars {
            categories = List.copyOf(categories);
            series = List.copyOf(series);
            for (Series s : series) {
                if (s.values().size() != categories.size()) {
                    throw new IllegalArgumentException("series " + s.name() + " has " + s.values().size()
                            + " values for " + categories.size() + " categories");
                }
            }
        }
    }

    /**
     * Points or lines in the plane; {@code diagonal} draws y = x (predicted against measured);
     * {@code lineSeries} names series drawn as lines even when {@code lines} is off (a front through
     * points); {@code yReference} draws a horizontal line (a target) when not NaN.
     */
    record Xy(String title, String xAxis, String yAxis, List<XySeries> series, boolean lines, boolean diagonal,
              boolean logX, List<String> lineSeries, double yReference, String yReferenceLabel) implements ChartSpec {
        public Xy {
            series = List.copyOf(series);
            lineSeries = List.copyOf(lineSeries);
        }

        public Xy(String title, String xAxis, String yAxis, List<XySeries> series, boolean lines, boolean diagonal,
                  boolean logX) {
            this(title, xAxis, yAxis, series, lines, diagonal, logX, List.of(), Double.NaN, "");
        }
    }

    /** Horizontal bars on a time axis, one row per lane (a GPU), coloured by task kind. */
    record Gantt(String title, String timeAxis, List<String> lanes, List<Task> tasks) implements ChartSpec {
        public Gantt {
            lanes = List.copyOf(lanes);
            tasks = List.copyOf(tasks);
        }
    }

    record Series(String name, List<Double> values) {
        public Series {
            values = List.copyOf(values);
        }
    }

    record XySeries(String name, List<double[]> points) {
        public XySeries {
            points = List.copyOf(points);
        }
    }

    /** A task of kind {@code kind} on lane {@code lane} from {@code start} to {@code end} (time-axis units). */
    record Task(int lane, String kind, double start, double end) {
    }
}
