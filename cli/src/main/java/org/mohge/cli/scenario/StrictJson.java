package org.mohge.cli.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mohge.cli.output.IoErrors;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.sim.InputFileException;
import org.mohge.sim.InputFiles;

/**
 * Reads user JSON files into spec records, strictly: unknown keys, duplicate keys, wrong types,
 * numbers given as strings, fractions for integers, trailing content and missing required values
 * are all errors. Every failure becomes a {@link ScenarioException} whose message is one line:
 * {@code file: json.path rule}.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = strictMapper();

    private StrictJson() {
    }

    public static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean, LogicalType.Enum)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Reads {@code file} as a {@code type}, or throws a one-line {@link ScenarioException}. */
    public static <T> T read(Path file, Class<T> type) {
        return convert(readTree(file), file.toString(), type);
    }

    /** Reads a stream (a shipped resource) named {@code name} in messages. */
    public static <T> T read(java.io.InputStream in, String name, Class<T> type) throws IOException {
        return convert(parseTree(in.readAllBytes(), name), name, type);
    }

    /**
     * Reads {@code file} as a JSON tree (malformed JSON, explicit nulls and unreadable files fail
     * here), for callers that look at the document before choosing its type.
     */
    public static JsonNode readTree(Path file) {
        byte[] content;
        try {
            InputFiles.requireReadable(file, InputFiles.JSON_LIMIT_BYTES);
        } catch (InputFileException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read file (" + IoErrors.cause(e) + ")", e);
        }
        return parseTree(content, file.toString());
    }

    /** Binds a tree read by {@link #readTree} to {@code type}; {@code name} names the file in messages. */
    public static <T> T convert(JsonNode tree, String name, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(name + ": " + JsonErrorText.explain(e), e);
        } catch (SpecViolation e) {
            throw new ScenarioException(name + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parseTree(byte[] content, String name) {
        try {
            JsonNode tree = MAPPER.readTree(content);
            if (tree == null || tree.isMissingNode()) {
                throw new ScenarioException(name + ": malformed JSON: the file is empty");
            }
            rejectNulls(tree, "", name);
            return tree;
        } catch (JsonProcessingException e) {
            throw new ScenarioException(name + ": " + JsonErrorText.explain(e), e);
        } catch (IOException e) {
            throw new ScenarioException(name + ": cannot read file (" + IoErrors.cause(e) + ")", e);
        }
    }

    /**
     * An explicit {@code null} is never valid: optional keys are left out to take their default.
     * (Jackson would turn a null int into 0 and hide the mistake.)
     */
    private static void rejectNulls(JsonNode node, String path, String file) {
        if (node.isNull()) {
            throw new ScenarioException(file + ": " + JsonErrorText.orRoot(path) + " must not be null (leave an optional key out "
                    + "to use its default)");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> rejectNulls(f.getValue(), JsonErrorText.join(path, f.getKey()), file));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNulls(node.get(i), path + "[" + i + "]", file);
            }
        }
    }
}
