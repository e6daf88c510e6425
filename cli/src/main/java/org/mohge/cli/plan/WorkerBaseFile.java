package org.mohge.cli.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioException;

/**
 * Where a plan worker reads a sweep's base scenario from: its own path when this JVM sees the
 * same text there (a local engine, or a cluster sharing the file system), else a copy of the text
 * the task carries, written into a fresh temporary folder that is removed when the JVM exits
 * (relative paths in the scenario then resolve against that folder).
 */
public final class WorkerBaseFile {
    private WorkerBaseFile() {
    }

    public static Path of(String baseFile, String baseText, String tempPrefix) {
        try {
            Path file = Path.of(baseFile);
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(baseText)) {
                return file;
            }
            Path dir = Files.createTempDirectory(tempPrefix);
            dir.toFile().deleteOnExit();
            Path copy = dir.resolve(file.getFileName().toString());
            Files.writeString(copy, baseText, StandardCharsets.UTF_8);
            copy.toFile().deleteOnExit(); // removed before its folder: deleteOnExit runs in reverse order
            return copy;
        } catch (IOException e) {
            throw new ScenarioException("cannot stage the base scenario on a worker: " + e.getMessage(), e);
        }
    }
}
