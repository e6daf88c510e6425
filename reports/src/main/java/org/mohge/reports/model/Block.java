package org.mohge.reports.model;

import org.mohge.reports.chart.ChartSpec;
import org.mohge.reports.table.Table;

/** One piece of a report section. */
public sealed interface Block permits Block.Paragraph, Block.Callout, Block.TableBlock, Block.Chart {

    /** Plain text; HTML-escaped when written. */
    record Paragraph(String text) implements Block {
    }

    /** A highlighted notice, e.g. a model that does not fit in memory. */
    record Callout(Level level, String text) implements Block {
    }

    /** A table, also written as {@code <fileStem>.csv} beside the page when {@code fileStem} is set. */
    record TableBlock(Table table, String fileStem) implements Block {
    }

    /**
     * A chart written as {@code <fileStem>.png}; {@code caption} is the one sentence that says what
     * to look at.
     */
    record Chart(ChartSpec spec, String fileStem, String caption) implements Block {
    }

    enum Level {
        INFO, WARNING
    }
}
