package org.mohge.reports.browser;


import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.reports.ReportWriter;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;

/** A written report opens in headless Chromium with no console errors, every image loaded, and visible content. */
class ReportInBrowserTest {
    @TempDir
    Path dir;

    @Test
    void smallReportRendersInChromium() throws Exception {
        ChartSpec bars = new ChartSpec.Bars("Expert time per GPU", "GPU", "time (us)", List.of("0", "1", "2"),
                List.of(new ChartSpec.Series("contiguous", List.of(10.0, 30.0, 20.0))), false, Double.NaN, "");
        Report report = new Report("Browser check", "a <small> study", List.of(new Section("balance", "Balance",
                List.of(new Block.TableBlock(Table.builder("gpu", "time").row("0", "10").build(), null),
                        new Block.Chart(bars, "balance", "The tallest bar sets the step time.")))), Map.of());
        Path out = java.nio.file.Files.createDirectory(dir.resolve("report"));
        ReportWriter.writeInto(report, out, Map.of());
        BrowserChecks.assertOpensCleanly(out.resolve("index.html"), dir.resolve("shot.png"));
    }
}
