package org.mohge.gpu.bench;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/** Runs a timed action {@code warmups} times untimed, then {@code repeats} times; keeps median and min. */
public record Timing(double medianUs, double minUs, int repeats) {

    /** {@code action} returns the time of one run in microseconds (wall clock or device events). */
    public static Timing of(int warmups, int repeats, DoubleSupplier action) {
        if (repeats <= 0) {
            throw new IllegalArgumentException("repeats must be > 0, got " + repeats);
        }
        for (int i = 0; i < warmups; i++) {
            action.getAsDouble();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            t[i] = action.getAsDouble();
        }
        return new Timing(median(t), Arrays.stream(t).min().orElseThrow(), repeats);
    }

    /** Median; for an even count the mean of the two middle values. */
    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
