package org.mohge.sim.routing;

import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Token difficulty quantised into {@link #BINS} equally likely bins: bin b stands for the
 * {@code (b + 0.5) / BINS} quantile of the difficulty distribution (a Beta, or a weighted
 * mixture of domain Betas). Drawing a token's difficulty is drawing a bin uniformly.
 */
public final class DifficultyTable {
    public static final int BINS = 64;

    private final double[] values;

    private DifficultyTable(double[] values) {
        this.values = values;
    }

    public static DifficultyTable of(RoutingSpec spec) {
        double[] values = new double[BINS];
        if (spec.domains().isEmpty()) {
            BetaDistribution beta = new BetaDistribution(null, spec.difficulty().alpha(), spec.difficulty().beta());
            for (int b = 0; b < BINS; b++) {
                values[b] = beta.inverseCumulativeProbability((b + 0.5) / BINS);
            }
            return new DifficultyTable(values);
        }
        List<DomainSpec> domains = spec.domains();
        BetaDistribution[] betas = new BetaDistribution[domains.size()];
        double[] weights = new double[domains.size()];
        double total = 0;
        for (int i = 0; i < betas.length; i++) {
            betas[i] = new BetaDistribution(null, domains.get(i).alpha(), domains.get(i).beta());
            weights[i] = domains.get(i).weight();
            total += weights[i];
        }
        for (int b = 0; b < BINS; b++) {
            double target = (b + 0.5) / BINS;
            double lo = 0;
            double hi = 1;
            for (int it = 0; it < 60; it++) {
                double mid = 0.5 * (lo + hi);
                double cdf = 0;
                for (int i = 0; i < betas.length; i++) {
                    cdf += weights[i] / total * betas[i].cumulativeProbability(mid);
                }
                if (cdf < target) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            values[b] = 0.5 * (lo + hi);
        }
        return new DifficultyTable(values);
    }

    public double value(int bin) {
        return values[bin];
    }

    /** Mean difficulty over the bins. */
    public double mean() {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
