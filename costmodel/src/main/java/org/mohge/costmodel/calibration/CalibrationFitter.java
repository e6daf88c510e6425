package org.mohge.costmodel.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Fits a {@link GemmEfficiencyModel} to GEMM measurements with Levenberg-Marquardt (Commons
 * Math). Residuals are in log time, so a 10% miss on a 5 us kernel weighs as much as one on a
 * 5 ms kernel. Parameters are fitted as logarithms, which keeps them positive. Per-expert
 * measurements of grouped launches enter as {@code groups} GEMMs of the same shape.
 */
public final class CalibrationFitter {
    private static final int MAX_ITERATIONS = 2_000;

    private CalibrationFitter() {
    }

    public static GemmEfficiencyModel fit(List<Measurement> data, int bytesPerValue, GemmEfficiencyModel start) {
        if (data.size() < GemmEfficiencyModel.PARAMETERS) {
            throw new IllegalArgumentException("need at least " + GemmEfficiencyModel.PARAMETERS
                    + " measurements to fit, got " + data.size());
        }
        double[] observed = data.stream().mapToDouble(m -> Math.log(m.medianUs())).toArray();
        MultivariateJacobianFunction model = point -> {
            double[] logP = point.toArray();
            double[] values = new double[data.size()];
            double[][] jacobian = new double[data.size()][logP.length];
            for (int i = 0; i < data.size(); i++) {
                values[i] = predictLog(logP, data.get(i), bytesPerValue);
                for (int j = 0; j < logP.length; j++) {
                    double h = 1e-6;
                    double[] shifted = logP.clone();
                    shifted[j] += h;
                    jacobian[i][j] = (predictLog(shifted, data.get(i), bytesPerValue) - values[i]) / h;
                }
            }
            RealVector v = new ArrayRealVector(values, false);
            RealMatrix jac = new Array2DRowRealMatrix(jacobian, false);
            return new Pair<>(v, jac);
        };
        double[] startLog = Arrays.stream(start.toArray()).map(Math::log).toArray();
        LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                .start(startLog)
                .model(model)
                .target(observed)
                .maxEvaluations(MAX_ITERATIONS)
                .maxIterations(MAX_ITERATIONS)
                .lazyEvaluation(false)
                .build());
        double[] p = Arrays.stream(optimum.getPoint().toArray()).map(Math::exp).toArray();
        return GemmEfficiencyModel.fromArray(p);
    }

    private static double predictLog(double[] logP, Measurement m, int bytesPerValue) {
        double[] p = Arrays.stream(logP).map(Math::exp).toArray();
        GemmEfficiencyModel model = GemmEfficiencyModel.fromArray(p);
        return Math.log(m.groups() * model.timeUs(m.m(), m.n(), m.k(), bytesPerValue));
    }

    /** Fit on everything, then k-fold cross-validation for the held-out error. */
    public static FitQuality quality(List<Measurement> data, int bytesPerValue, GemmEfficiencyModel start, int folds) {
        GemmEfficiencyModel all = fit(data, bytesPerValue, start);
        double[] inSample = new double[data.size()];
        double meanLog = data.stream().mapToDouble(m -> Math.log(m.medianUs())).average().orElse(0);
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < data.size(); i++) {
            Measurement m = data.get(i);
            double predicted = m.groups() * all.timeUs(m.m(), m.n(), m.k(), bytesPerValue);
            inSample[i] = Math.abs(predicted / m.medianUs() - 1) * 100;
            ssRes += Math.pow(Math.log(predicted) - Math.log(m.medianUs()), 2);
            ssTot += Math.pow(Math.log(m.medianUs()) - meanLog, 2);
        }
        List<Double> heldOut = new ArrayList<>();
        int k = Math.min(folds, data.size() / GemmEfficiencyModel.PARAMETERS);
        for (int fold = 0; fold < k; fold++) {
            List<Measurement> train = new ArrayList<>();
            List<Measurement> test = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                (i % k == fold ? test : train).add(data.get(i));
            }
            if (train.size() < GemmEfficiencyModel.PARAMETERS || test.isEmpty()) {
                continue;
            }
            GemmEfficiencyModel model = fit(train, bytesPerValue, all);
            for (Measurement m : test) {
                double predicted = m.groups() * model.timeUs(m.m(), m.n(), m.k(), bytesPerValue);
                heldOut.add(Math.abs(predicted / m.medianUs() - 1) * 100);
            }
        }
        double[] held = heldOut.stream().mapToDouble(Double::doubleValue).toArray();
        return new FitQuality(data.size(), ssTot == 0 ? 1 : 1 - ssRes / ssTot, median(inSample), median(held),
                Arrays.stream(held).max().orElse(Double.NaN), k);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
