package org.mohge.cli.output;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Staging files and folders in flight: fresh hidden names beside their target, removed when the
 * write ends and, if the JVM is stopped (SIGINT, SIGTERM) while one is in flight, by a shutdown
 * hook. Names are created without explicit permissions, so they follow the user's umask.
 */
final class StagingPaths {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Set<Path> IN_FLIGHT = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private StagingPaths() {
    }

    /** A fresh name {@code .NAME.KIND-PID-N} beside {@code target}, not yet created. */
    static Path siblingName(Path target, String kind) {
        return target.resolveSibling("." + target.getFileName() + "." + kind + "-" + ProcessHandle.current().pid()
                + "-" + COUNTER.incrementAndGet());
    }

    /**
     * True when {@code candidate} is exactly a name {@link #siblingName} gives {@code target} for
     * {@code kind} (so the staging folder of a target named {@code a.tmp-1} is never taken for one of
     * {@code a}) and the process that made it has ended: a run in flight, in this JVM or another,
     * keeps its folders.
     */
    static boolean isLeftoverOf(Path candidate, Path target, String kind) {
        Matcher m = Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\."
                + Pattern.quote(kind) + "-(\\d{1,18})-\\d{1,18}").matcher(candidate.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    static synchronized void register(Path path) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(StagingPaths::removeAll, "mohge-staging-cleanup"));
            hookInstalled = true;
        }
        IN_FLIGHT.add(path);
    }

    static synchronized void unregister(Path path) {
        IN_FLIGHT.remove(path);
    }

    private static synchronized void removeAll() {
        for (Path p : IN_FLIGHT) {
            try {
                deleteTree(p);
            } catch (IOException | RuntimeException e) {
                // The JVM is going down; a leftover is removed by the next run into the same target.
            }
        }
        IN_FLIGHT.clear();
    }

    /** Deletes a file or a folder tree; symbolic links inside are removed, never followed. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
