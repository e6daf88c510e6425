package org.mohge.sim.serving;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A stream of arrivals, produced one at a time so memory stays flat however many requests a run
 * has. Synthetic sources draw from their own {@link SplittableRandom} seeded from the run's seed.
 */
public interface ArrivalSource extends AutoCloseable {

    /** The next arrival, or null when the source is exhausted. */
    Arrival next();

    @Override
    default void close() {
    }

    /**
     * The source a spec describes, cut at {@code spec.requests()} arrivals and {@code spec.durationS()};
     * a trace path is resolved against {@code baseDir} (null: the working directory).
     */
    static ArrivalSource of(ServingSpec spec, long seed, Path baseDir) {
        ArrivalSource source;
        if (spec.arrivals() instanceof ArrivalSpec.Trace trace) {
            Path path = Path.of(trace.path());
            if (baseDir != null && !path.isAbsolute()) {
                path = baseDir.resolve(path);
            }
            source = new TraceArrivalSource(path);
        } else {
            source = new SyntheticArrivalSource(spec.arrivals(), sampler(spec.promptTokens(), true, baseDir),
                    sampler(spec.outputTokens(), false, baseDir), new SplittableRandom(seed));
        }
        long limitNs = spec.durationS() == null ? Long.MAX_VALUE : (long) (spec.durationS() * 1e9);
        return new Limited(source, spec.requests(), limitNs);
    }

    private static SyntheticArrivalSource.Sampler sampler(LengthSpec spec, boolean prompt, Path baseDir) {
        if (!(spec instanceof LengthSpec.Sampled sampled)) {
            return spec::draw;
        }
        Path path = Path.of(sampled.path());
        if (baseDir != null && !path.isAbsolute()) {
            path = baseDir.resolve(path);
        }
        int[] values = new int[1024];
        int n = 0;
        try (TraceArrivalSource trace = new TraceArrivalSource(path)) {
            Arrival a;
            while ((a = trace.next()) != null) {
                if (n == values.length) {
                    values = java.util.Arrays.copyOf(values, n * 2);
                }
                values[n++] = prompt ? a.promptTokens() : a.outputTokens();
            }
        }
        if (n == 0) {
            throw new org.mohge.sim.InputFileException(path.toString(), "", "has no rows to sample lengths from");
        }
        int[] pool = java.util.Arrays.copyOf(values, n);
        return rng -> pool[rng.nextInt(pool.length)];
    }

    /** Stops after {@code count} arrivals or at the first arrival after {@code limitNs}. */
    final class Limited implements ArrivalSource {
        private final ArrivalSource inner;
        private final long count;
        private final long limitNs;
        private long produced;

        Limited(ArrivalSource inner, long count, long limitNs) {
            this.inner = inner;
            this.count = count;
            this.limitNs = limitNs;
        }

        @Override
        public Arrival next() {
            if (produced >= count) {
                return null;
            }
            Arrival a = inner.next();
            if (a == null || a.timeNs() > limitNs) {
                produced = count;
                return null;
            }
            produced++;
            return a;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
