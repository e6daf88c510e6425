package org.mohge.cli.output;

import java.util.Locale;

/** Human formatting with fixed, locale-independent output. */
public final class Units {
    private Units() {
    }

    /** 46_702_792_704 -> "46.70B". */
    public static String count(double n) {
        double a = Math.abs(n);
        if (a >= 1e12) {
            return String.format(Locale.ROOT, "%.2fT", n / 1e12);
        }
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }

    /** Bytes in GiB with two decimals. */
    public static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (1L << 30));
    }

    /** A duration in words: seconds under 2 minutes, then minutes, hours (under 2 days) and days. */
    public static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f seconds", seconds);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.0f minutes", seconds / 60);
        }
        if (seconds < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.0f days", seconds / 86400);
    }

    public static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
