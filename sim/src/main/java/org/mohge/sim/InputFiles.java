package org.mohge.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an input file before it is read: it must exist, be a regular file (not a folder, device
 * or pipe, which could block or never end) and stay under a size limit, so a wrong path fails
 * at once with one line instead of hanging or filling the heap. Every file checked here is
 * remembered as read by this run, so that no output is written over an input ({@link #wasRead}).
 */
public final class InputFiles {
    /** JSON inputs (scenarios, sweeps, placements, load profiles): far above any real one. */
    public static final long JSON_LIMIT_BYTES = 64L << 20;
    /** Routing traces: one line per token and layer, so they may be large. */
    public static final long TRACE_LIMIT_BYTES = 2L << 30;

    /** The files this run has read (absolute, normalised): an output must never be written over one. */
    private static final Set<Path> READ = ConcurrentHashMap.newKeySet();

    private InputFiles() {
    }

    /** Whether this run has read {@code file} as an input (the same file under another path included). */
    public static boolean wasRead(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (READ.contains(abs)) {
            return true;
        }
        for (Path read : READ) {
            try {
                if (Files.exists(abs) && Files.exists(read) && Files.isSameFile(abs, read)) {
                    return true;
                }
            } catch (IOException e) {
                // An unreadable path is not the same file as one that was read.
            }
        }
        return false;
    }

    /** Starts a new run: no file read yet (one JVM may run several commands, as the tests do). */
    public static void forgetReads() {
        READ.clear();
    }

    /** Throws a one-line {@link InputFileException} unless {@code file} is a readable regular file of at most {@code limitBytes}. */
    public static void requireReadable(Path file, long limitBytes) {
        String f = file.toString();
        if (!Files.exists(file)) {
            throw new InputFileException(f, "", "cannot read file (no such file)");
        }
        if (Files.isDirectory(file)) {
            throw new InputFileException(f, "", "cannot read file (it is a folder)");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(f, "", "cannot read file (not a regular file: a device, pipe or socket)");
        }
        if (!Files.isReadable(file)) {
            throw new InputFileException(f, "", "cannot read file (permission denied)");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputFileException(f, "", "cannot read file (" + e.getMessage() + ")");
        }
        if (size > limitBytes) {
            throw new InputFileException(f, "", String.format(Locale.ROOT,
                    "cannot read file (%.1f MiB, over the %d MiB limit for this kind of input)", size / 1048576.0,
                    limitBytes >> 20));
        }
        READ.add(file.toAbsolutePath().normalize());
    }
}
