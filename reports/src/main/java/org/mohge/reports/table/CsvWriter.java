package org.mohge.reports.table;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled; lines end in
 * LF. The tables are the ones the HTML reports show, so their display forms are turned back into
 * values a spreadsheet or pandas reads as numbers: a missing value ({@code -}) becomes an empty
 * field, and a column of percentages ({@code 85.6%}) loses its signs and says "(%)" in its header.
 */
public final class CsvWriter {
    private static final String MISSING = "-";

    private CsvWriter() {
    }

    public static String toCsv(Table table) {
        int columns = table.header().size();
        boolean[] percent = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            percent[c] = isPercentColumn(table.rows(), c);
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(table.header());
        for (int c = 0; c < columns; c++) {
            if (percent[c] && !header.get(c).contains("%")) {
                header.set(c, header.get(c) + " (%)");
            }
        }
        line(sb, header);
        for (List<String> row : table.rows()) {
            List<String> cells = new ArrayList<>(row.size());
            for (int c = 0; c < row.size(); c++) {
                String v = row.get(c);
                if (v.equals(MISSING)) {
                    v = "";
                } else if (c < columns && percent[c]) {
                    v = v.substring(0, v.length() - 1);
                }
                cells.add(v);
            }
            line(sb, cells);
        }
        return sb.toString();
    }

    /** Every present cell of the column is a number followed by '%', and at least one is present. */
    private static boolean isPercentColumn(List<List<String>> rows, int column) {
        boolean any = false;
        for (List<String> row : rows) {
            if (column >= row.size()) {
                return false;
            }
            String v = row.get(column);
            if (v.equals(MISSING)) {
                continue;
            }
            if (!v.endsWith("%") || !isNumber(v.substring(0, v.length() - 1))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(cells.get(i)));
        }
        sb.append('\n');
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
