package org.mohge.cli.output;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Progress lines on stderr, flushed at once so a long run shows where it is. */
public final class Progress {
    private Progress() {
    }

    /** A consumer that prints each line with {@code prefix} (may be empty) and flushes. */
    public static Consumer<String> lines(PrintWriter err, String prefix) {
        return line -> {
            err.println(prefix + line);
            err.flush();
        };
    }
}
