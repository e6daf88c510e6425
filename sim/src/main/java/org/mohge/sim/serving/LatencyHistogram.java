package org.mohge.sim.serving;

/**
 * Streaming percentiles in fixed memory: log-spaced bins 0.5% wide from 1 microsecond to about
 * 28 hours (values below 1 us share the first bin), plus the exact count, sum, minimum and
 * maximum. A percentile is the geometric middle of its bin, clamped to [min, max], so it is within
 * 0.25% of an exact order statistic; the mean is exact.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.005;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BINS = 4096;

    private final long[] counts = new long[BINS];
    private long count;
    private double sumUs;
    private double minUs = Double.POSITIVE_INFINITY;
    private double maxUs;

    public void add(double valueUs) {
        int bin = valueUs < 1 ? 0 : Math.min(BINS - 1, 1 + (int) (Math.log(valueUs) / LOG_GROWTH));
        counts[bin]++;
        count++;
        sumUs += valueUs;
        minUs = Math.min(minUs, valueUs);
        maxUs = Math.max(maxUs, valueUs);
    }

    public long count() {
        return count;
    }

    public double meanUs() {
        return count == 0 ? 0 : sumUs / count;
    }

    public double maxUs() {
        return maxUs;
    }

    /** The q-quantile (0 < q <= 1): the smallest bin whose cumulative count reaches {@code ceil(q * count)}. */
    public double quantileUs(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                double mid = b == 0 ? 0.5 : Math.pow(GROWTH, b - 1 + 0.5);
                return Math.max(minUs, Math.min(maxUs, mid));
            }
        }
        return maxUs;
    }

    /**
     * The empirical CDF at up to {@code points} values: the upper edge of the bin where the
     * cumulative share first reaches each multiple of {@code 1 / points} (clamped to the maximum).
     */
    public java.util.List<CdfPoint> cdfMs(int points) {
        java.util.List<CdfPoint> out = new java.util.ArrayList<>();
        if (count == 0) {
            return out;
        }
        long seen = 0;
        int next = 1;
        for (int b = 0; b < BINS && next <= points; b++) {
            seen += counts[b];
            double fraction = (double) seen / count;
            if (counts[b] > 0 && fraction >= (double) next / points) {
                double edgeUs = Math.min(maxUs, Math.pow(GROWTH, b));
                out.add(new CdfPoint(edgeUs / 1e3, fraction));
                while (next <= points && fraction >= (double) next / points) {
                    next++;
                }
            }
        }
        return out;
    }

    public LatencySummary summaryMs() {
        return new LatencySummary(count, meanUs() / 1e3, quantileUs(0.5) / 1e3, quantileUs(0.9) / 1e3,
                quantileUs(0.99) / 1e3, maxUs / 1e3);
    }
}
