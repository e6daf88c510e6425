package org.mohge.costmodel.calibration;

import java.util.function.Function;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.util.Pair;

/**
 * The least-squares fit both calibrations use: Levenberg-Marquardt (Commons Math) over free
 * parameters {@code u}, minimising {@code sum_i (f_i(u) - y_i)^2 + sum_j (w (u_j - u0_j))^2}. The
 * weak prior (weight {@code w} per parameter against one residual per measurement) keeps a
 * parameter that no measurement constrains at its start instead of letting it wander and stall the
 * optimiser. The Jacobian is taken by forward differences, since the predictions are piecewise
 * (tiles, waves) and have no closed-form derivative.
 */
public final class PriorLeastSquares {
    private static final double STEP = 1e-6;

    private PriorLeastSquares() {
    }

    /**
     * @param start       {@code u0}, the start and the prior's centre
     * @param observed    {@code y}, one per measurement
     * @param predictions {@code u -> f(u)}, one value per measurement
     * @return the fitted {@code u}
     */
    public static double[] fit(double[] start, double[] observed, Function<double[], double[]> predictions,
                               double priorWeight, int maxIterations) {
        int n = observed.length;
        int p = start.length;
        double[] target = new double[n + p];
        System.arraycopy(observed, 0, target, 0, n);
        for (int j = 0; j < p; j++) {
            target[n + j] = priorWeight * start[j];
        }
        Function<double[], double[]> withPrior = u -> {
            double[] f = predictions.apply(u);
            if (f.length != n) {
                throw new IllegalStateException("predictions gave " + f.length + " values for " + n + " measurements");
            }
            double[] out = new double[n + p];
            System.arraycopy(f, 0, out, 0, n);
            for (int j = 0; j < p; j++) {
                out[n + j] = priorWeight * u[j];
            }
            return out;
        };
        MultivariateJacobianFunction model = point -> {
            double[] u = point.toArray();
            double[] values = withPrior.apply(u);
            double[][] jacobian = new double[n + p][p];
            for (int j = 0; j < p; j++) {
                double[] shifted = u.clone();
                shifted[j] += STEP;
                double[] moved = withPrior.apply(shifted);
                for (int i = 0; i < n + p; i++) {
                    jacobian[i][j] = (moved[i] - values[i]) / STEP;
                }
            }
            return new Pair<>(new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
        };
        return new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                .start(start)
                .model(model)
                .target(target)
                .maxEvaluations(maxIterations)
                .maxIterations(maxIterations)
                .build()).getPoint().toArray();
    }
}
