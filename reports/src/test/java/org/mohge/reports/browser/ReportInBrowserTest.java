package org.mohge.reports.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
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

    /** Checks a report folder the way a person would; shared with the CLI's study test. */
    public static void assertOpensCleanly(Path indexHtml, Path screenshotOut) throws Exception {
        Path chromium = HeadlessChromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "Chromium is not installed (.ci/run installs the Debian package)");
        try (HeadlessChromium browser = new HeadlessChromium(chromium)) {
            browser.open(indexHtml);
            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
            int images = browser.evaluate("document.images.length").asInt();
            int loaded = browser.evaluate(
                    "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length").asInt();
            assertThat(images).as("images on the page").isPositive();
            assertThat(loaded).as("images loaded").isEqualTo(images);
            byte[] png = browser.screenshot();
            if (screenshotOut != null) {
                Files.write(screenshotOut, png);
            }
            assertThat(distinctColours(png)).as("colours in the screenshot (a blank page has 1)").isGreaterThan(20);
        }
    }

    static int distinctColours(byte[] png) throws java.io.IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void smallReportRendersInChromium() throws Exception {
        ChartSpec bars = new ChartSpec.Bars("Expert time per GPU", "GPU", "time (us)", List.of("0", "1", "2"),
                List.of(new ChartSpec.Series("contiguous", List.of(10.0, 30.0, 20.0))), false, Double.NaN, "");
        Report report = new Report("Browser check", "a <small> study", List.of(new Section("balance", "Balance",
                List.of(new Block.TableBlock(Table.builder("gpu", "time").row("0", "10").build(), null),
                        new Block.Chart(bars, "balance", "The tallest bar sets the step time.")))), Map.of());
        Path out = dir.resolve("report");
        ReportWriter.write(report, out, Map.of());
        assertOpensCleanly(out.resolve("index.html"), dir.resolve("shot.png"));
    }
}
