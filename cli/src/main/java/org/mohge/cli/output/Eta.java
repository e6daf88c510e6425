package org.mohge.cli.output;

import java.util.Locale;

/**
 * Elapsed time and an estimate of the time left for a run of {@code total} similar items, for
 * progress lines on stderr (never for results: it reads the clock).
 */
public final class Eta {
    private final int total;
    private final long startNanos = System.nanoTime();

    public Eta(int total) {
        this.total = total;
    }

    /** {@code "3/10, 12 s elapsed, about 28 s left"} once {@code done} items of the total are finished. */
    public String after(int done) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        String head = String.format(Locale.ROOT, "%d/%d, %s elapsed", done + 1, total, Units.duration(elapsed));
        if (done == 0) {
            return head;
        }
        return head + ", about " + Units.duration(elapsed / done * (total - done)) + " left";
    }
}
