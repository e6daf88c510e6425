package org.mohge.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped by SIGTERM while it writes a report leaves no staging folder behind. */
class StagingCleanupTest {
    @TempDir
    Path dir;

    /** Child JVM: starts writing a report into args[0], says so in args[1], then waits to be killed. */
    public static void main(String[] args) throws IOException {
        OutputFolder.claim(Path.of(args[0]), new OutputFolder.Origin.CommandLine()).replaceWith(folder -> {
            Files.writeString(folder.resolve("index.html"), "half");
            Files.writeString(Path.of(args[1]), "staging");
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void sigtermWhileWritingRemovesTheStagingFolder() throws Exception {
        Path report = dir.resolve("report");
        Path signal = dir.resolve("writing");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StagingCleanupTest.class.getName(), report.toString(), signal.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            while (!Files.exists(signal) && child.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(child.isAlive()).as("child log: %s", Files.readString(dir.resolve("child.log"))).isTrue();
            assertThat(hidden()).as("a staging folder exists while the report is written").isNotEmpty();
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(hidden()).as("staging folders left").isEmpty();
        assertThat(report).doesNotExist();
    }

    private List<String> hidden() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".report.")).toList();
        }
    }
}
