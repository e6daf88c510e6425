package org.mohge.sim.routing;

/**
 * Top-k selection as sampling with known inclusion probabilities. A router's preference
 * {@code q} (summing to 1) becomes inclusion probabilities {@code pi_i = min(1, c * q_i)} with
 * {@code c} chosen so that they sum to k; a token then takes exactly k distinct units by
 * systematic sampling: one uniform {@code u}, unit i is taken when one of {@code u, u + 1, ...,
 * u + k - 1} falls in its slice of the cumulative sums. Unit i is taken with probability exactly
 * {@code pi_i}, which makes expected loads exact; {@link SystematicTable} precomputes the draws so
 * that one costs a uniform and a table lookup. (The joint law is the systematic-sampling one: units that are close in order are
 * rarely taken together; loads, traffic and compute only depend on the marginals.)
 */
public final class Inclusion {
    private Inclusion() {
    }

    /** Inclusion probabilities (each at most 1, summing to {@code k}) proportional to {@code q} where not capped. */
    public static double[] fromPreferences(double[] q, int k) {
        int n = q.length;
        if (k > n) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + n);
        }
        double[] pi = new double[n];
        boolean[] capped = new boolean[n];
        int cappedCount = 0;
        while (true) {
            double free = 0;
            int freeUnits = 0;
            for (int i = 0; i < n; i++) {
                if (!capped[i]) {
                    free += Math.max(0, q[i]);
                    freeUnits++;
                }
            }
            double mass = k - cappedCount;
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (capped[i]) {
                    pi[i] = 1;
                    continue;
                }
                pi[i] = free > 0 ? mass * Math.max(0, q[i]) / free : mass / freeUnits;
                if (pi[i] > 1) {
                    capped[i] = true;
                    cappedCount++;
                    changed = true;
                }
            }
            if (!changed) {
                return pi;
            }
        }
    }

    /** Softmax of logits. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * Writes the cumulative sums of {@code pi} ({@code n + 1} values from 0 to exactly k) into
     * {@code cum} at {@code offset}.
     */
    public static void cumulative(double[] pi, int k, double[] cum, int offset) {
        double sum = 0;
        cum[offset] = 0;
        for (int i = 0; i < pi.length; i++) {
            sum += pi[i];
            cum[offset + i + 1] = sum;
        }
        // Rescale so the last value is exactly k: u + k - 1 < k always falls inside the table.
        double scale = k / sum;
        for (int i = 1; i <= pi.length; i++) {
            cum[offset + i] *= scale;
        }
        cum[offset + pi.length] = k;
    }

    /** Largest i in [lo, n - 1] with {@code cum[offset + i] <= p}. */
    static int search(double[] cum, int offset, int lo, int n, double p) {
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cum[offset + mid] <= p) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
