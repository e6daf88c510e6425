package org.mohge.reports.chart;

import java.util.ArrayList;
import java.util.List;

/** Predicted against measured partition times: a scatter with the y = x line, and the error per partition. */
public final class ValidationCharts {
    /** One GPU partition: predicted and measured expert time. */
    public record Point(int gpu, double predictedUs, double measuredUs) {
        public double errorPct() {
            return (predictedUs / measuredUs - 1) * 100;
        }
    }

    private ValidationCharts() {
    }

    public static ChartSpec scatter(List<Point> points) {
        List<double[]> xy = new ArrayList<>();
        points.forEach(p -> xy.add(new double[] {p.measuredUs() / 1e3, p.predictedUs() / 1e3}));
        return new ChartSpec.Xy("Predicted against measured expert time per GPU partition", "measured (ms)",
                "predicted (ms)", List.of(new ChartSpec.XySeries("partitions", xy)), false, true, false);
    }

    public static ChartSpec errors(List<Point> points) {
        return new ChartSpec.Bars("Prediction error per GPU partition", "GPU", "error (% of measured)",
                points.stream().map(p -> String.valueOf(p.gpu())).toList(),
                List.of(new ChartSpec.Series("error", points.stream().map(Point::errorPct).toList())), false, 0.0, "");
    }
}
