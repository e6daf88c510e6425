package org.mohge.cli.plan;

import org.mohge.cli.output.Digests;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.function.Function;
import org.mohge.cli.output.AtomicFiles;

/**
 * The resume file {@code points.jsonl}: one JSON line per finished point, {@code {"base": ...,
 * "metrics": {...}}}, where {@code base} fingerprints what a point's result depends on besides the
 * point itself (the base scenario's text, the files it names and the fidelity override). A line
 * counts only when its fingerprint and its point equal the current sweep's; anything else (another
 * sweep, an edited base scenario or placement map, a half-written last line) is dropped.
 */
public final class ResumeFile {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResumeFile() {
    }

    /** One line of the file: the fingerprint and one point's result (training or serving). */
    public record Line(String base, Object metrics) {
    }

    /** The fingerprint of a sweep's shared inputs: the base's text, the files it names, the fidelity override. */
    public static String fingerprint(PlanContext ctx) {
        return Digests.sha256((ctx.baseText() + '\0' + BaseInputs.digest(ctx.base(), ctx.baseFile()) + '\0'
                + (ctx.fidelity() == null ? null : ctx.fidelity().label())).getBytes(StandardCharsets.UTF_8));
    }

    public static String line(String fingerprint, Object metrics) {
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
        return readAndCompact(file, fingerprint, PointMetrics.class, m -> m.point() != null && m.status() != null
                && m.point().equals(points.get(m.point().id())) ? m.point().id() : null);
    }

    /**
     * The same for any result type: {@code currentId} gives a result's point id when the result is
     * complete and its point is one of the current sweep's (equal in every value), else null.
     */
    public static <M> Map<String, M> readAndCompact(Path file, String fingerprint, Class<M> type,
                                                    Function<M, String> currentId) throws IOException {
        Map<String, M> done = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return done;
        }
        List<String> kept = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            M metrics = parse(text, fingerprint, type);
            String id = metrics == null ? null : currentId.apply(metrics);
            if (id != null && !done.containsKey(id)) {
                done.put(id, metrics);
                kept.add(text);
            }
        }
        AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        return done;
    }

    /** A result line from an engine (a point's result as JSON), or null when it is not one. */
    public static <M> M result(String json, Class<M> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A line's result when it is a complete line with this fingerprint, else null. */
    private static <M> M parse(String text, String fingerprint, Class<M> type) {
        try {
            JsonNode line = MAPPER.readTree(text);
            if (line == null || !line.path("base").asText("").equals(fingerprint)
                    || !line.path("metrics").isObject()) {
                return null;
            }
            return MAPPER.treeToValue(line.get("metrics"), type);
        } catch (JsonProcessingException e) {
            return null; // a half-written last line, or a line of another format: skipped, re-evaluated
        }
    }
}
