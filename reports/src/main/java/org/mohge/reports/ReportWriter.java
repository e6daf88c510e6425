package org.mohge.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mohge.reports.chart.ChartRenderer;
import org.mohge.reports.html.HtmlPage;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.CsvWriter;

/**
 * Renders a report into a folder: index.html, one PNG per chart, one CSV per named table, plus
 * extra files. Where the folder lives, and how it replaces an earlier one, is the caller's
 * business (the CLI's output-folder rule stages into a fresh folder and moves it into place).
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * @param folder an existing folder to write into (normally an empty staging folder)
     * @param extraFiles more files to put in the folder (results.json, trace.json, ...), by name
     */
    public static void writeInto(Report report, Path folder, Map<String, byte[]> extraFiles) throws IOException {
        for (Section s : report.sections()) {
            for (Block b : s.blocks()) {
                if (b instanceof Block.Chart c) {
                    try (OutputStream out = Files.newOutputStream(folder.resolve(c.fileStem() + ".png"))) {
                        ChartRenderer.writePng(c.spec(), out);
                    }
                } else if (b instanceof Block.TableBlock t && t.fileStem() != null) {
                    Files.writeString(folder.resolve(t.fileStem() + ".csv"), CsvWriter.toCsv(t.table()),
                            StandardCharsets.UTF_8);
                }
            }
        }
        for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
            Files.write(folder.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(folder.resolve("index.html"), HtmlPage.render(report), StandardCharsets.UTF_8);
    }
}
