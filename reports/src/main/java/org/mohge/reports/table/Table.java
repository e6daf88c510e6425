package org.mohge.reports.table;

import java.util.ArrayList;
import java.util.List;

/** A rectangular table of strings with a header row. */
public record Table(List<String> header, List<List<String>> rows) {
    public Table {
        header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, header has " + header.size());
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    public static Builder builder(String... header) {
        return new Builder(List.of(header));
    }

    /** Collects rows; cells are converted with {@link String#valueOf(Object)}. */
    public static final class Builder {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(List<String> header) {
            this.header = header;
        }

        public Builder row(Object... cells) {
            List<String> row = new ArrayList<>(cells.length);
            for (Object c : cells) {
                row.add(String.valueOf(c));
            }
            rows.add(row);
            return this;
        }

        public Table build() {
            return new Table(header, rows);
        }
    }
}
