package org.mohge.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.mohge.reports.chart.ChartRenderer;
import org.mohge.reports.html.HtmlPage;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.CsvWriter;

/**
 * Writes a report folder (index.html, one PNG per chart, one CSV per named table, plus extra files)
 * atomically: everything goes into a temporary sibling folder first, which then replaces the
 * target. A run that fails leaves the previous report intact.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * @param extraFiles more files to put in the folder (results.json, trace.json, ...), by name
     */
    public static void write(Report report, Path dir, Map<String, byte[]> extraFiles) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            for (Section s : report.sections()) {
                for (Block b : s.blocks()) {
                    if (b instanceof Block.Chart c) {
                        try (OutputStream out = Files.newOutputStream(staging.resolve(c.fileStem() + ".png"))) {
                            ChartRenderer.writePng(c.spec(), out);
                        }
                    } else if (b instanceof Block.TableBlock t && t.fileStem() != null) {
                        Files.writeString(staging.resolve(t.fileStem() + ".csv"), CsvWriter.toCsv(t.table()),
                                StandardCharsets.UTF_8);
                    }
                }
            }
            for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
                Files.write(staging.resolve(e.getKey()), e.getValue());
            }
            Files.writeString(staging.resolve("index.html"), HtmlPage.render(report), StandardCharsets.UTF_8);
            replace(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            move(target, old);
        }
        move(staging, target);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
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
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
