package org.mohge.cli.plan;

import java.io.PrintWriter;

/**
 * A progress line with ETA on stderr, printed at most once a second (and on the last point), so
 * it reads well both on a terminal and in a log file. Time is only shown, never stored.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final int total;
    private final int skipped;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos;
    private int done;

    ProgressBar(PrintWriter err, int total, int skipped) {
        this.err = err;
        this.total = total;
        this.skipped = skipped;
        this.done = skipped;
    }

    void step() {
        done++;
        long now = System.nanoTime();
        if (done < total && now - lastPrintNanos < 1_000_000_000L) {
            return;
        }
        lastPrintNanos = now;
        double elapsedS = (now - startNanos) / 1e9;
        int fresh = done - skipped;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String eta = fresh == 0 ? "?" : seconds(elapsedS / fresh * (total - done));
        err.println("[plan] [" + bar + "] " + done + "/" + total + " points, " + seconds(elapsedS) + " elapsed, ETA "
                + eta);
        err.flush();
    }

    private static String seconds(double s) {
        long t = Math.round(s);
        return t >= 60 ? t / 60 + "m" + String.format(java.util.Locale.ROOT, "%02d", t % 60) + "s" : t + "s";
    }
}
