package org.mohge.sim.routing;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams derived from the scenario seed and a key (purpose,
 * step, micro-batch, layer, ...), so that work can be split over threads without changing a bit
 * of the output.
 */
public final class Rng {
    /** Stream purposes. */
    public static final long TABLES = 1;
    public static final long DRIFT = 2;
    public static final long DIFFICULTY = 3;
    public static final long ROUTE = 4;

    private Rng() {
    }

    public static SplittableRandom stream(long seed, long... keys) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            h = mix64(h ^ mix64(k + 0x632BE59BD9B4E019L));
        }
        return new SplittableRandom(h);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
