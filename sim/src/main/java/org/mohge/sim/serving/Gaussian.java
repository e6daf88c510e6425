package org.mohge.sim.serving;

import java.util.SplittableRandom;

/** Standard normal and Gamma draws from a {@link SplittableRandom} (no hidden state, so runs repeat). */
final class Gaussian {
    private Gaussian() {
    }

    /** Box-Muller, one value per call. */
    static double next(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Gamma(shape, scale 1) by Marsaglia and Tsang; shapes below 1 by the boost {@code G(a+1) U^(1/a)}. */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            double u = 1.0 - rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = next(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
