package org.mohge.sim.routing;

import java.util.SplittableRandom;

/**
 * Multinomial counts by conditional binomials; binomials by inversion when the variance is small
 * and by the rounded normal approximation when it is at least {@link #NORMAL_VARIANCE}.
 */
public final class Multinomial {
    static final double NORMAL_VARIANCE = 25;

    private Multinomial() {
    }

    /**
     * Adds to {@code out[offset + i]} the counts of {@code n} trials over categories with
     * probabilities {@code p} (summing to 1).
     */
    public static void sample(SplittableRandom rng, long n, double[] p, double[] out, int offset) {
        long remaining = n;
        double mass = 1.0;
        for (int i = 0; i < p.length && remaining > 0; i++) {
            if (i == p.length - 1 || mass <= p[i]) {
                out[offset + i] += remaining;
                return;
            }
            double q = Math.min(1.0, Math.max(0.0, p[i] / mass));
            long x = binomial(rng, remaining, q);
            out[offset + i] += x;
            remaining -= x;
            mass -= p[i];
        }
    }

    public static long binomial(SplittableRandom rng, long n, double p) {
        if (n <= 0 || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        if (p > 0.5) {
            return n - binomial(rng, n, 1 - p);
        }
        double mean = n * p;
        double variance = mean * (1 - p);
        if (variance >= NORMAL_VARIANCE) {
            long x = Math.round(mean + Math.sqrt(variance) * rng.nextGaussian());
            return Math.max(0, Math.min(n, x));
        }
        // Inversion with the pmf recurrence; mean < 2 * NORMAL_VARIANCE here, so few iterations.
        double q = 1 - p;
        double s = p / q;
        double a = (n + 1) * s;
        double r = Math.exp(n * Math.log1p(-p));
        double u = rng.nextDouble();
        long x = 0;
        while (u > r && x < n) {
            u -= r;
            x++;
            r *= a / x - s;
            if (r <= 0) {
                break;
            }
        }
        return x;
    }
}
