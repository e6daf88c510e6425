package org.mohge.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.html.HtmlPage;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.CsvWriter;
import org.mohge.reports.table.Table;

class ReportWriterTest {
    @TempDir
    Path dir;

    private static Report report(String title) {
        ChartSpec bars = new ChartSpec.Bars("Expert time per GPU", "GPU", "time (us)", List.of("0", "1"),
                List.of(new ChartSpec.Series("contiguous", List.of(10.0, 30.0)),
                        new ChartSpec.Series("group-decoupled", List.of(20.0, 20.0))), false, 25.0, "mean");
        ChartSpec gantt = new ChartSpec.Gantt("One layer", "time (us)", List.of("GPU 0", "GPU 1"),
                List.of(new ChartSpec.Task(0, "experts", 0, 10), new ChartSpec.Task(1, "experts", 0, 30),
                        new ChartSpec.Task(0, "idle", 10, 30)));
        ChartSpec xy = new ChartSpec.Xy("Predicted vs measured", "measured (us)", "predicted (us)",
                List.of(new ChartSpec.XySeries("partitions", List.of(new double[] {1, 1.1}, new double[] {2, 1.9}))),
                false, true, false);
        Table table = Table.builder("name", "value").row("a<b", "1,5").row("x\"y", "2").build();
        return new Report(title, "sub <i>title</i>", List.of(
                new Section("s1", "Balance & time", List.of(new Block.Paragraph("tokens > 0"),
                        new Block.Callout(Block.Level.WARNING, "does not fit <in memory>"),
                        new Block.TableBlock(table, "summary"),
                        new Block.Chart(bars, "gpu-time", "Look at the tallest bar."),
                        new Block.Chart(gantt, "timeline", "Idle time shows as gaps."),
                        new Block.Chart(xy, "scatter", "Points near the line are well predicted.")))),
                Map.of("seed", "42"));
    }

    @Test
    void writesPageChartsAndCsvs() throws IOException {
        Path out = Files.createDirectory(dir.resolve("study"));
        ReportWriter.writeInto(report("Study <script>alert(1)</script>"), out, Map.of("results.json", "{}".getBytes()));
        assertThat(out.resolve("index.html")).exists();
        for (String png : List.of("gpu-time.png", "timeline.png", "scatter.png")) {
            assertThat(Files.size(out.resolve(png))).as(png).isGreaterThan(5_000);
            byte[] header = Files.readAllBytes(out.resolve(png));
            assertThat(header[1]).isEqualTo((byte) 'P');
        }
        assertThat(Files.readString(out.resolve("summary.csv"))).isEqualTo("name,value\na<b,\"1,5\"\n\"x\"\"y\",2\n");
        assertThat(out.resolve("results.json")).hasContent("{}");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("study");
        }
    }

    @Test
    void escapesEveryInputString() {
        String html = HtmlPage.render(report("Study <script>alert(1)</script>"));
        assertThat(html).doesNotContain("<script>").doesNotContain("<i>title</i>").doesNotContain("<in memory>");
        assertThat(html).contains("Study &lt;script&gt;alert(1)&lt;/script&gt;", "Balance &amp; time",
                "a&lt;b", "x&quot;y", "tokens &gt; 0");
        assertThat(html).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        Table t = Table.builder("a", "b").row("plain", "with\nbreak").build();
        assertThat(CsvWriter.toCsv(t)).isEqualTo("a,b\nplain,\"with\nbreak\"\n");
    }

    @Test
    void csvCellsAreValuesNotDisplayForms() {
        Table t = Table.builder("placement", "tokens/s", "mean utilisation", "note")
                .row("contiguous", "302593", "55.9%", "a 5% rise")
                .row("none", "-", "-", "-")
                .row("group-decoupled", "463179", "85.6%", "-")
                .build();
        // Missing values become empty fields; the percentage column loses its signs and says (%) in
        // its header; a text column that merely contains '%' is left as it is.
        assertThat(CsvWriter.toCsv(t)).isEqualTo("placement,tokens/s,mean utilisation (%),note\n"
                + "contiguous,302593,55.9,a 5% rise\n"
                + "none,,,\n"
                + "group-decoupled,463179,85.6,\n");
    }
}
