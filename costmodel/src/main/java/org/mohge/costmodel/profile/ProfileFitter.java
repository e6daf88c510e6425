package org.mohge.costmodel.profile;

import java.util.List;
import org.mohge.costmodel.calibration.PriorLeastSquares;
import org.mohge.costmodel.cost.KernelParams;

/**
 * Fits {@link KernelParams} to published measurements with Levenberg-Marquardt (Commons Math), as
 * {@code mohge calibrate} fits a device's own measurements. Residuals are log(predicted /
 * published), so every figure weighs the same whatever its size. Efficiencies are fitted as
 * logits (they stay in (0, 1)), times and widths as logarithms (they stay positive). A weak prior
 * (weight {@value #PRIOR_WEIGHT} per parameter) pulls each toward the start, so a parameter no
 * measurement constrains keeps its start value instead of wandering.
 */
public final class ProfileFitter {
    /**
     * The start and prior of a Hopper fit: GEMMs at 75% of peak, operands loaded at 200 GB/s per SM, kHalf 64 (cuBLAS on large
     * bf16 tiles), HBM at 85%, 4 us a launch, no per-group cost, attention at 60% of peak,
     * dHalf 64, LHalf 256, links at 80%.
     */
    public static final KernelParams HOPPER_START = new KernelParams(0.75, 0.75, 200, 64, 0.85, 4.0, 1.0, 0.6, 0.6, 64,
            256, 0.8, 0.8);
    static final double PRIOR_WEIGHT = 0.01;
    private static final int MAX_ITERATIONS = 5_000;
    /** Which entries of {@link KernelParams#toArray()} are shares in (0, 1). */
    private static final boolean[] SHARE = {true, true, false, false, true, false, false, true, true, false, false, true,
        true};

    private ProfileFitter() {
    }

    public static KernelParams fit(List<PublishedMeasurement> data, KernelParams start) {
        double[] observed = data.stream().mapToDouble(m -> Math.log(m.value())).toArray();
        double[] u = PriorLeastSquares.fit(toFree(start.toArray()), observed, free -> logPredictions(free, data),
                PRIOR_WEIGHT, MAX_ITERATIONS);
        return KernelParams.fromArray(fromFree(u));
    }

    private static double[] logPredictions(double[] u, List<PublishedMeasurement> data) {
        KernelParams params = KernelParams.fromArray(fromFree(u));
        double[] out = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            out[i] = Math.log(MeasurementPredictor.predict(params, data.get(i)));
        }
        return out;
    }

    static double[] toFree(double[] params) {
        double[] u = new double[params.length];
        for (int j = 0; j < u.length; j++) {
            u[j] = SHARE[j] ? Math.log(params[j] / (1 - params[j])) : Math.log(params[j]);
        }
        return u;
    }

    static double[] fromFree(double[] u) {
        double[] p = new double[u.length];
        for (int j = 0; j < u.length; j++) {
            // Shares stay a hair inside (0, 1) so a saturated fit still builds a valid KernelParams.
            p[j] = SHARE[j] ? Math.min(0.999, Math.max(0.011, 1 / (1 + Math.exp(-u[j])))) : Math.exp(u[j]);
        }
        return p;
    }
}
