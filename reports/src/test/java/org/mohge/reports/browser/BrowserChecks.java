package org.mohge.reports.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/** Opens a written report the way a person would; shared with the CLI's study tests through the test jar. */
public final class BrowserChecks {
    private BrowserChecks() {
    }

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

}
