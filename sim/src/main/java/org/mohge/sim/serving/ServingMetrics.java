package org.mohge.sim.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a serving run's measures as events happen: counters, streamed latency histograms and
 * the folded time series, so memory stays flat in the number of requests. Throughput counts only
 * what happens up to the last arrival (the window); the drain after it is left out.
 */
final class ServingMetrics {
    private static final int CDF_POINTS = 100;
    private final SloSpec slo;
    private long arrived;
    private long rejected;
    private long completed;
    private long metSlo;
    private long inputTokens;
    private long outputTokens;
    private long firstArrivalNs = -1;
    /** The last arrival's time once the source is exhausted. */
    private long windowEndNs = Long.MAX_VALUE;
    private long windowCompleted;
    private long windowMetSlo;
    private long windowInputTokens;
    private long windowOutputTokens;
    private long lastCompletionNs;
    private long iterations;
    private long inFlight;
    private long peakInFlight;
    private double seqsSum;
    private double tokensSum;
    private double kvSum;
    private double kvPeak;
    private long decodeIterations;
    private double imbalanceSum;
    private final LatencyHistogram ttft = new LatencyHistogram();
    private final LatencyHistogram tpot = new LatencyHistogram();
    private final LatencyHistogram e2e = new LatencyHistogram();
    private final LatencyHistogram queueing = new LatencyHistogram();
    private final TimeSeries series;

    ServingMetrics(SloSpec slo, int seriesPoints) {
        this.slo = slo;
        this.series = new TimeSeries(seriesPoints);
    }

    void arrival(long now) {
        if (firstArrivalNs < 0) {
            firstArrivalNs = now;
        }
        arrived++;
        inFlight++;
        peakInFlight = Math.max(peakInFlight, inFlight);
    }

    /** The source has no more arrivals after the one at {@code now}. */
    void lastArrival(long now) {
        windowEndNs = now;
    }

    void rejection() {
        rejected++;
        inFlight--;
    }

    void iteration(long now, long durationNs, int seqs, BatchShape shape, IterationCost cost, double kvUse) {
        iterations++;
        seqsSum += seqs;
        tokensSum += shape.tokens();
        kvSum += kvUse;
        kvPeak = Math.max(kvPeak, kvUse);
        if (shape.decodeTokens() > 0) {
            decodeIterations++;
            imbalanceSum += cost.expertImbalance();
        }
        series.add(now - Math.max(0, firstArrivalNs), durationNs, seqs, shape.tokens(), kvUse);
    }

    void token(long now) {
        if (now <= windowEndNs) {
            windowOutputTokens++;
        }
    }

    void finish(Request r, long now) {
        completed++;
        inFlight--;
        inputTokens += r.promptTokens;
        outputTokens += r.outputTokens;
        lastCompletionNs = Math.max(lastCompletionNs, now);
        double ttftUs = (r.firstTokenNs - r.arrivalNs) / 1e3;
        ttft.add(ttftUs);
        e2e.add((now - r.arrivalNs) / 1e3);
        queueing.add((r.firstScheduledNs - r.arrivalNs) / 1e3);
        double tpotUs = 0;
        if (r.outputTokens > 1) {
            tpotUs = (now - r.firstTokenNs) / 1e3 / (r.outputTokens - 1);
            tpot.add(tpotUs);
        }
        boolean met = slo == null || (ttftUs <= slo.ttftMs() * 1e3 && tpotUs <= slo.tpotMs() * 1e3);
        if (met) {
            metSlo++;
        }
        if (now <= windowEndNs) {
            windowCompleted++;
            windowInputTokens += r.promptTokens;
            if (met) {
                windowMetSlo++;
            }
        }
    }

    /** Seconds from the first arrival to the last completion (at least a nanosecond). */
    double durationS() {
        return Math.max(1e-9, (lastCompletionNs - Math.max(0, firstArrivalNs)) / 1e9);
    }

    ServingResult result(long endNs, long events, long preemptions, int gpus, List<PoolSummary> pools) {
        double durationS = durationS();
        double n = Math.max(1, iterations);
        long windowEnd = Math.min(windowEndNs, lastCompletionNs);
        double windowS = (windowEnd - Math.max(0, firstArrivalNs)) / 1e9;
        boolean window = windowS > 0 && windowCompleted > 0;
        double perS = window ? 1 / windowS : 1 / durationS;
        long wCompleted = window ? windowCompleted : completed;
        long wOutput = window ? windowOutputTokens : outputTokens;
        return new ServingResult(arrived, completed, rejected, preemptions, durationS, window ? windowS : durationS,
                gpus, ttft.summaryMs(), tpot.summaryMs(), e2e.summaryMs(), queueing.summaryMs(),
                wCompleted * perS, (window ? windowInputTokens : inputTokens) * perS, wOutput * perS,
                wOutput * perS / gpus, (window ? windowMetSlo : metSlo) * perS,
                completed == 0 ? 0 : (double) metSlo / completed,
                seqsSum / n, tokensSum / n, kvSum / n, kvPeak,
                decodeIterations == 0 ? 1 : imbalanceSum / decodeIterations, iterations, events, peakInFlight,
                new ArrayList<>(pools), series.points(Math.max(0, endNs - Math.max(0, firstArrivalNs))),
                new LatencyCdfs(ttft.cdfMs(CDF_POINTS), tpot.cdfMs(CDF_POINTS), e2e.cdfMs(CDF_POINTS)));
    }
}
