package org.mohge.sim.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mohge.sim.InputFileException;

/**
 * Streams a request trace line by line: CSV with the header
 * {@code arrivalTimeMs,promptTokens,outputTokens[,cachedTokens][,prefixId]}, or JSON Lines (a
 * {@code .jsonl} file) of objects with those keys. {@code prefixId} (a whole number) names the
 * shared prefix the cached tokens belong to: requests with the same id share its KV pages. Any broken row fails with {@code file: line N rule}.
 */
final class TraceArrivalSource implements ArrivalSource {
    private static final Pattern JSON_FIELD = Pattern.compile("\"([A-Za-z]+)\"\\s*:\\s*([-+0-9.eE]+)");
    private static final String[] KEYS = {"arrivalTimeMs", "promptTokens", "outputTokens", "cachedTokens",
        "prefixId"};
    private static final String KNOWN = "arrivalTimeMs, promptTokens, outputTokens, cachedTokens, prefixId";

    private final Path path;
    private final String file;
    private final BufferedReader reader;
    private final boolean jsonl;
    private int[] columns;
    private int lineNo;
    private long lastNs = Long.MIN_VALUE;

    TraceArrivalSource(Path path) {
        this.path = path;
        this.file = path.toString();
        this.jsonl = path.getFileName().toString().endsWith(".jsonl");
        try {
            this.reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputFileException(file, "", "cannot be read (" + e.getMessage() + ")");
        }
        if (!jsonl) {
            readHeader();
        }
    }

    private void readHeader() {
        String header = readLine();
        if (header == null) {
            throw new InputFileException(file, "line 1", "must be the header arrivalTimeMs,promptTokens,outputTokens"
                    + "[,cachedTokens][,prefixId], the file is empty");
        }
        String[] names = header.trim().split("\\s*,\\s*");
        columns = new int[] {-1, -1, -1, -1, -1};
        for (int i = 0; i < names.length; i++) {
            boolean known = false;
            for (int k = 0; k < KEYS.length; k++) {
                if (KEYS[k].equals(names[i])) {
                    columns[k] = i;
                    known = true;
                }
            }
            if (!known) {
                throw new InputFileException(file, "line 1", "has unknown column '" + names[i]
                        + "' (known: " + KNOWN + ")");
            }
        }
        for (int k = 0; k < 3; k++) {
            if (columns[k] < 0) {
                throw new InputFileException(file, "line 1", "must have a column " + KEYS[k]);
            }
        }
    }

    private String readLine() {
        try {
            String line = reader.readLine();
            lineNo++;
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Arrival next() {
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        double[] v = jsonl ? parseJson(line) : parseCsv(line);
        String where = "line " + lineNo;
        if (!(v[0] >= 0) || Double.isInfinite(v[0])) {
            throw new InputFileException(file, where + " arrivalTimeMs", "must be >= 0, got " + v[0]);
        }
        long timeNs = Math.round(v[0] * 1e6);
        if (timeNs < lastNs) {
            throw new InputFileException(file, where + " arrivalTimeMs", "must not decrease, got " + v[0]
                    + " after " + lastNs / 1e6);
        }
        lastNs = timeNs;
        int prompt = whole(v[1], where + " promptTokens", 1);
        int output = whole(v[2], where + " outputTokens", 1);
        int cached = whole(v[3], where + " cachedTokens", 0);
        if (cached >= prompt) {
            throw new InputFileException(file, where + " cachedTokens", "must be < promptTokens (" + prompt
                    + "), got " + cached);
        }
        boolean hasPrefix = jsonl ? v[5] != 0 : columns[4] >= 0;
        long prefixId = hasPrefix ? whole(v[4], where + " prefixId", 0) : -1;
        return new Arrival(timeNs, prompt, output, cached, prefixId);
    }

    private int whole(double value, String where, int min) {
        if (value != Math.rint(value) || value < min || value > Integer.MAX_VALUE) {
            throw new InputFileException(file, where, "must be a whole number >= " + min + ", got " + value);
        }
        return (int) value;
    }

    private double[] parseCsv(String line) {
        String[] cells = line.trim().split("\\s*,\\s*");
        double[] v = new double[KEYS.length];
        for (int k = 0; k < KEYS.length; k++) {
            if (columns[k] < 0) {
                continue;
            }
            if (columns[k] >= cells.length) {
                throw new InputFileException(file, "line " + lineNo + " " + KEYS[k], "is missing");
            }
            v[k] = number(cells[columns[k]], "line " + lineNo + " " + KEYS[k]);
        }
        return v;
    }

    private double[] parseJson(String line) {
        String t = line.trim();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw new InputFileException(file, "line " + lineNo, "must be one JSON object");
        }
        // the values by key, then whether prefixId was given
        double[] v = new double[KEYS.length + 1];
        boolean[] seen = new boolean[KEYS.length];
        Matcher m = JSON_FIELD.matcher(t);
        int fields = 0;
        while (m.find()) {
            fields++;
            int k = indexOf(m.group(1));
            if (k < 0) {
                throw new InputFileException(file, "line " + lineNo + " " + m.group(1),
                        "is not a known key (" + KNOWN + ")");
            }
            v[k] = number(m.group(2), "line " + lineNo + " " + KEYS[k]);
            seen[k] = true;
        }
        if (fields != t.chars().filter(c -> c == ':').count()) {
            throw new InputFileException(file, "line " + lineNo, "must hold only numeric fields");
        }
        for (int k = 0; k < 3; k++) {
            if (!seen[k]) {
                throw new InputFileException(file, "line " + lineNo + " " + KEYS[k], "is missing");
            }
        }
        v[KEYS.length] = seen[4] ? 1 : 0;
        return v;
    }

    private static int indexOf(String key) {
        for (int k = 0; k < KEYS.length; k++) {
            if (KEYS[k].equals(key)) {
                return k;
            }
        }
        return -1;
    }

    private double number(String text, String where) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InputFileException(file, where, "must be a number, got '" + text + "'");
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "trace " + path;
    }
}
