package org.mohge.sim.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * Iteration samples folded into at most {@code points} buckets of equal width; when time runs past
 * the last bucket the width doubles and neighbours merge, so memory is fixed however long the run.
 */
final class TimeSeries {
    private final int points;
    private double widthNs = 1e6;
    private final double[] busyNs;
    private final double[] seqsNs;
    private final double[] tokensNs;
    private final double[] kvNs;
    private final double[] kvPeak;

    TimeSeries(int points) {
        this.points = points;
        busyNs = new double[points];
        seqsNs = new double[points];
        tokensNs = new double[points];
        kvNs = new double[points];
        kvPeak = new double[points];
    }

    /** One iteration that started at {@code startNs} and lasted {@code durationNs}. */
    void add(long startNs, long durationNs, int seqs, long tokens, double kvUse) {
        while (startNs >= widthNs * points) {
            fold();
        }
        int b = (int) (startNs / widthNs);
        double d = Math.max(1, durationNs);
        busyNs[b] += d;
        seqsNs[b] += d * seqs;
        tokensNs[b] += d * tokens;
        kvNs[b] += d * kvUse;
        kvPeak[b] = Math.max(kvPeak[b], kvUse);
    }

    private void fold() {
        for (int i = 0; i < points; i++) {
            int a = 2 * i;
            int c = 2 * i + 1;
            busyNs[i] = (a < points ? busyNs[a] : 0) + (c < points ? busyNs[c] : 0);
            seqsNs[i] = (a < points ? seqsNs[a] : 0) + (c < points ? seqsNs[c] : 0);
            tokensNs[i] = (a < points ? tokensNs[a] : 0) + (c < points ? tokensNs[c] : 0);
            kvNs[i] = (a < points ? kvNs[a] : 0) + (c < points ? kvNs[c] : 0);
            kvPeak[i] = Math.max(a < points ? kvPeak[a] : 0, c < points ? kvPeak[c] : 0);
        }
        widthNs *= 2;
    }

    List<SeriesPoint> points(long endNs) {
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < points && i * widthNs <= endNs; i++) {
            double busy = busyNs[i];
            out.add(new SeriesPoint(i * widthNs / 1e9, widthNs / 1e9, busy > 0 ? seqsNs[i] / busy : 0,
                    busy > 0 ? tokensNs[i] / busy : 0, busy > 0 ? kvNs[i] / busy : 0, kvPeak[i]));
        }
        return out;
    }
}
