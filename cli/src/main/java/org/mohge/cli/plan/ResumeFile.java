package org.mohge.cli.plan;

import org.mohge.cli.output.Digests;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mohge.cli.output.AtomicFiles;

/**
 * The resume file {@code points.jsonl}: one JSON line per finished point, {@code {"base": ...,
 * "metrics": {...}}}, where {@code base} fingerprints what a point's result depends on besides the
 * point itself (the base scenario's text and the fidelity override). A line counts only when its
 * fingerprint and its point equal the current sweep's; anything else (another sweep, an edited
 * base scenario, a half-written last line) is dropped.
 */
public final class ResumeFile {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResumeFile() {
    }

    /** One line of the file. */
    public record Line(String base, PointMetrics metrics) {
    }

    /** The fingerprint of a sweep's shared inputs. */
    public static String fingerprint(PlanContext ctx) {
        // base text, a NUL separator, then the fidelity override
        return Digests.sha256((ctx.baseText() + '\0' + (ctx.fidelity() == null ? null : ctx.fidelity().label())).getBytes(StandardCharsets.UTF_8));
    }

    public static String line(String fingerprint, PointMetrics metrics) {
        try {
            return MAPPER.writeValueAsString(new Line(fingerprint, metrics));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads the valid lines of {@code file} for a sweep (first line per id wins) and rewrites the
     * file with only those, so appending after a half-written line is safe.
     */
    public static Map<String, PointMetrics> readAndCompact(Path file, String fingerprint,
                                                           Map<String, SweepPoint> points) throws IOException {
        Map<String, PointMetrics> done = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return done;
        }
        List<String> kept = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Line line = parse(text);
            if (line == null || !fingerprint.equals(line.base()) || line.metrics() == null
                    || line.metrics().point() == null || line.metrics().status() == null) {
                continue;
            }
            SweepPoint p = line.metrics().point();
            if (p.equals(points.get(p.id())) && !done.containsKey(p.id())) {
                done.put(p.id(), line.metrics());
                kept.add(text);
            }
        }
        AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        return done;
    }

    private static Line parse(String text) {
        try {
            return MAPPER.readValue(text, Line.class);
        } catch (JsonProcessingException e) {
            return null; // a half-written last line, or a line of another format: skipped, re-evaluated
        }
    }
}
