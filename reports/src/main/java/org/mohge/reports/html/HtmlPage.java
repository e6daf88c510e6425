package org.mohge.reports.html;

import java.util.Map;
import java.util.TreeMap;
import org.mohge.reports.model.Block;
import org.mohge.reports.model.Report;
import org.mohge.reports.model.Section;
import org.mohge.reports.table.Table;

/**
 * Renders a {@link Report} as one self-contained HTML page: inline CSS, no scripts, no web fonts,
 * images referenced as files beside the page. Every string from the report is escaped.
 */
public final class HtmlPage {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;background:#fafafa}
            header{background:#1f3b5a;color:#fff;padding:1.2rem 2rem}
            header h1{margin:0;font-size:1.6rem}header p{margin:.3rem 0 0;opacity:.85}
            nav{padding:.6rem 2rem;background:#e9eef3;font-size:.95rem}nav a{margin-right:1.2rem;color:#1f3b5a}
            main{max-width:1240px;margin:0 auto;padding:1rem 2rem 3rem}
            section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.4rem;margin:1.2rem 0}
            h2{font-size:1.3rem;margin:.2rem 0 .8rem;color:#1f3b5a}
            table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem;font-variant-numeric:tabular-nums}
            th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}th{background:#f0f3f6}
            td:first-child,th:first-child{text-align:left}
            figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:.92rem;color:#444;margin-top:.3rem}
            .callout{padding:.7rem 1rem;border-radius:4px;margin:.6rem 0}
            .warning{background:#fff3cd;border:2px solid #d39e00;font-weight:600}.info{background:#e8f4fd;border:1px solid #9cc9ee}
            footer{font-size:.85rem;color:#555;padding:1rem 2rem;border-top:1px solid #ddd}
            footer dt{font-weight:600;float:left;clear:left;width:14rem}footer dd{margin:0 0 .2rem 14rem}
            .csv{font-size:.85rem}
            """;

    private HtmlPage() {
    }

    public static String render(Report report) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(report.title())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>").append(Html.escape(report.title())).append("</h1>");
        if (report.subtitle() != null && !report.subtitle().isEmpty()) {
            sb.append("<p>").append(Html.escape(report.subtitle())).append("</p>");
        }
        sb.append("</header>\n<nav>");
        for (Section s : report.sections()) {
            sb.append("<a href=\"#").append(Html.escape(s.id())).append("\">").append(Html.escape(s.title()))
                    .append("</a>");
        }
        sb.append("</nav>\n<main>\n");
        for (Section s : report.sections()) {
            section(sb, s);
        }
        sb.append("</main>\n<footer><dl>\n");
        for (Map.Entry<String, String> e : new TreeMap<>(report.footer()).entrySet()) {
            sb.append("<dt>").append(Html.escape(e.getKey())).append("</dt><dd>").append(Html.escape(e.getValue()))
                    .append("</dd>\n");
        }
        sb.append("</dl></footer>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, Section section) {
        sb.append("<section id=\"").append(Html.escape(section.id())).append("\">\n<h2>")
                .append(Html.escape(section.title())).append("</h2>\n");
        for (Block b : section.blocks()) {
            if (b instanceof Block.Paragraph p) {
                sb.append("<p>").append(Html.escape(p.text())).append("</p>\n");
            } else if (b instanceof Block.Callout c) {
                String css = c.level() == Block.Level.WARNING ? "warning" : "info";
                sb.append("<div class=\"callout ").append(css).append("\">").append(Html.escape(c.text()))
                        .append("</div>\n");
            } else if (b instanceof Block.TableBlock t) {
                table(sb, t.table());
                if (t.fileStem() != null) {
                    sb.append("<p class=\"csv\"><a href=\"").append(Html.escape(t.fileStem())).append(".csv\">")
                            .append(Html.escape(t.fileStem())).append(".csv</a></p>\n");
                }
            } else if (b instanceof Block.Chart c) {
                sb.append("<figure><img src=\"").append(Html.escape(c.fileStem())).append(".png\" alt=\"")
                        .append(Html.escape(c.spec().title())).append("\" width=\"1200\" height=\"700\">")
                        .append("<figcaption>").append(Html.escape(c.caption())).append("</figcaption></figure>\n");
            }
        }
        sb.append("</section>\n");
    }

    private static void table(StringBuilder sb, Table table) {
        sb.append("<table>\n<thead><tr>");
        table.header().forEach(h -> sb.append("<th>").append(Html.escape(h)).append("</th>"));
        sb.append("</tr></thead>\n<tbody>\n");
        for (var row : table.rows()) {
            sb.append("<tr>");
            row.forEach(cell -> sb.append("<td>").append(Html.escape(cell)).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>\n");
    }
}
