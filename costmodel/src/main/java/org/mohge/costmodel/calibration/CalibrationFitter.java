package org.mohge.costmodel.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.cost.CalibratedCostModel;

/**
 * Fits a {@link GemmEfficiencyModel} to kernel measurements with Levenberg-Marquardt (Commons
 * Math). Each measurement is predicted by {@link KernelPredictor} through a
 * {@link CalibratedCostModel} holding the candidate parameters, i.e. by the very code that will
 * price the simulator's ops. Residuals are in log time, so a 10% miss on a 5 us kernel weighs as
 * much as one on a 5 ms kernel; parameters are fitted as logarithms, which keeps them positive.
 * A weak prior pulls each log-parameter toward the starting point (weight {@value #PRIOR_WEIGHT}
 * per parameter against one residual per measurement), so a dimension that the sweep does not
 * vary stays at a sensible value instead of wandering off and stalling the optimiser.
 */
public final class CalibrationFitter {
    private static final int MAX_ITERATIONS = 20_000;
    static final double PRIOR_WEIGHT = 0.01;

    public double predictUs(GemmEfficiencyModel model, Measurement m) {
        return KernelPredictor.predictUs(CalibratedCostModel.kernelsOnly(model), m);
    }

    public GemmEfficiencyModel fit(List<Measurement> data, GemmEfficiencyModel start) {
        if (data.size() < GemmEfficiencyModel.PARAMETERS) {
            throw new IllegalArgumentException("need at least " + GemmEfficiencyModel.PARAMETERS
                    + " measurements to fit, got " + data.size());
        }
        double[] startLog = Arrays.stream(start.toArray()).map(Math::log).toArray();
        double[] observed = data.stream().mapToDouble(m -> Math.log(m.medianUs())).toArray();
        double[] logP = PriorLeastSquares.fit(startLog, observed, u -> logPredictions(u, data), PRIOR_WEIGHT,
                MAX_ITERATIONS);
        return GemmEfficiencyModel.fromArray(Arrays.stream(logP).map(Math::exp).toArray());
    }

    private double[] logPredictions(double[] logP, List<Measurement> data) {
        GemmEfficiencyModel model = GemmEfficiencyModel.fromArray(Arrays.stream(logP).map(Math::exp).toArray());
        double[] out = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            out[i] = Math.log(predictUs(model, data.get(i)));
        }
        return out;
    }

    /** Fits on everything, then k-fold cross-validation (fold = index mod k) for the held-out error. */
    public FitQuality quality(List<Measurement> data, GemmEfficiencyModel fitted, int folds) {
        double meanLog = data.stream().mapToDouble(m -> Math.log(m.medianUs())).average().orElse(0);
        double ssRes = 0;
        double ssTot = 0;
        double[] inSample = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            Measurement m = data.get(i);
            double predicted = predictUs(fitted, m);
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
            GemmEfficiencyModel model = fit(train, fitted);
            for (Measurement m : test) {
                heldOut.add(Math.abs(predictUs(model, m) / m.medianUs() - 1) * 100);
            }
        }
        double[] held = heldOut.stream().mapToDouble(Double::doubleValue).toArray();
        return new FitQuality(data.size(), ssTot == 0 ? 1 : 1 - ssRes / ssTot, median(inSample), median(held),
                Arrays.stream(held).max().orElse(Double.NaN), k);
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
