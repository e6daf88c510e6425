package org.mohge.sim.routing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mohge.sim.InputFileException;

/**
 * Reads routing traces. Three forms, chosen by the file extension:
 * <ul>
 *   <li>{@code .jsonl}: one token decision per line,
 *       {@code {"step": 0, "layer": 0, "token": 17, "experts": [3, 41]}};</li>
 *   <li>{@code .csv}: the same as {@code step,layer,token,experts} with the experts separated by
 *       {@code ;} or spaces ({@code 0,0,17,3;41}); a first line starting with {@code step}
 *       (a header), blank lines and lines starting with {@code #} are skipped;</li>
 *   <li>{@code .json}: per-layer expert counts,
 *       {@code {"tokens": 4096, "layers": [{"layer": 0, "expertCounts": [130, 97, ...]}]}}.</li>
 * </ul>
 * {@code layer} counts MoE layers from 0; {@code token} numbers the tokens of a step from 0 (each
 * (step, layer, token) at most once); expert ids are in model order. Any violation fails with one
 * {@link InputFileException} line naming the file, the line or JSON path, and the rule.
 */
public final class RoutingTraces {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private RoutingTraces() {
    }

    /** Reads a per-token trace ({@code .jsonl} or {@code .csv}) or an expert-count trace ({@code .json}). */
    public static RoutingTrace read(Path file, int moeLayers, int experts, int expertsPerToken) {
        org.mohge.sim.InputFiles.requireReadable(file, org.mohge.sim.InputFiles.TRACE_LIMIT_BYTES);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".csv")) {
            return readTokens(file, moeLayers, experts, expertsPerToken);
        }
        if (name.endsWith(".json")) {
            return readCounts(file, moeLayers, experts);
        }
        throw new InputFileException(file.toString(), "(file name)",
                "must end in .jsonl or .csv (per-token trace) or .json (expert counts)");
    }

    /** {@code expertsPerToken}: the model's routed experts per token; every row must list exactly that many. */
    public static TokenTrace readTokens(Path file, int moeLayers, int experts, int expertsPerToken) {
        String f = file.toString();
        boolean csv = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        Map<Integer, Map<Integer, TreeMap<Integer, int[]>>> data = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean firstRecord = true;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String where = "line " + lineNo;
                int step;
                int layer;
                int token;
                int[] ids;
                if (csv) {
                    boolean header = firstRecord && trimmed.toLowerCase(java.util.Locale.ROOT).startsWith("step");
                    firstRecord = false;
                    if (header) {
                        continue;
                    }
                    String[] cells = trimmed.split(",", -1);
                    if (cells.length != 4) {
                        throw new InputFileException(f, where, "must have 4 cells step,layer,token,experts, got "
                                + cells.length);
                    }
                    step = parseInt(f, where + " step", cells[0]);
                    layer = parseInt(f, where + " layer", cells[1]);
                    token = parseInt(f, where + " token", cells[2]);
                    String[] parts = cells[3].strip().split("[;\\s]+");
                    ids = new int[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        ids[i] = parseInt(f, where + " experts[" + i + "]", parts[i]);
                    }
                } else {
                    JsonNode node;
                    try {
                        node = JSON.readTree(trimmed);
                    } catch (IOException e) {
                        throw new InputFileException(f, where, "is not valid JSON: " + firstLine(e.getMessage()));
                    }
                    if (node == null || !node.isObject()) {
                        throw new InputFileException(f, where, "must be a JSON object");
                    }
                    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                        String key = it.next();
                        if (!List.of("step", "layer", "token", "experts").contains(key)) {
                            throw new InputFileException(f, where + " " + key,
                                    "is not a known key (step, layer, token, experts)");
                        }
                    }
                    step = intField(f, where, node, "step");
                    layer = intField(f, where, node, "layer");
                    token = intField(f, where, node, "token");
                    JsonNode list = node.get("experts");
                    if (list == null || !list.isArray() || list.isEmpty()) {
                        throw new InputFileException(f, where + " experts", "must be a non-empty array of expert ids");
                    }
                    ids = new int[list.size()];
                    for (int i = 0; i < ids.length; i++) {
                        if (!list.get(i).canConvertToInt() || !list.get(i).isIntegralNumber()) {
                            throw new InputFileException(f, where + " experts[" + i + "]", "must be an integer");
                        }
                        ids[i] = list.get(i).intValue();
                    }
                }
                if (ids.length != expertsPerToken) {
                    throw new InputFileException(f, where + " experts", "must list exactly " + expertsPerToken
                            + " experts (the model routes each token to " + expertsPerToken + "), got " + ids.length);
                }
                checkRange(f, where + " step", step, Integer.MAX_VALUE, "");
                checkRange(f, where + " layer", layer, moeLayers, " (the model's MoE layers)");
                checkRange(f, where + " token", token, Integer.MAX_VALUE, "");
                for (int i = 0; i < ids.length; i++) {
                    if (ids[i] < 0 || ids[i] >= experts) {
                        throw new InputFileException(f, where + " experts[" + i + "]",
                                "must name an expert of the model (0.." + (experts - 1) + "), got " + ids[i]);
                    }
                    for (int j = 0; j < i; j++) {
                        if (ids[j] == ids[i]) {
                            throw new InputFileException(f, where + " experts[" + i + "]",
                                    "repeats expert " + ids[i]);
                        }
                    }
                }
                TreeMap<Integer, int[]> tokens = data.computeIfAbsent(step, s -> new TreeMap<>())
                        .computeIfAbsent(layer, l -> new TreeMap<>());
                if (tokens.put(token, ids) != null) {
                    throw new InputFileException(f, where, "repeats step " + step + " layer " + layer + " token "
                            + token);
                }
            }
        } catch (IOException e) {
            throw new InputFileException(f, "(file)", "cannot be read: " + e.getMessage());
        }
        if (data.isEmpty()) {
            throw new InputFileException(f, "(file)", "holds no token decisions");
        }
        Map<Integer, Map<Integer, List<int[]>>> result = new TreeMap<>();
        data.forEach((step, layers) -> {
            Map<Integer, List<int[]>> byLayer = new TreeMap<>();
            layers.forEach((layer, tokens) -> byLayer.put(layer, new ArrayList<>(tokens.values())));
            result.put(step, byLayer);
        });
        return new TokenTrace(result);
    }

    public static CountsTrace readCounts(Path file, int moeLayers, int experts) {
        String f = file.toString();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputFileException(f, "(file)", "is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InputFileException(f, "$", "must be a JSON object {\"tokens\": ..., \"layers\": [...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("tokens") && !key.equals("layers")) {
                throw new InputFileException(f, key, "is not a known key (tokens, layers)");
            }
        }
        JsonNode tokensNode = root.get("tokens");
        if (tokensNode == null || !tokensNode.isIntegralNumber() || tokensNode.longValue() <= 0) {
            throw new InputFileException(f, "tokens", "must be an integer > 0");
        }
        long tokens = tokensNode.longValue();
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new InputFileException(f, "layers", "must be a non-empty array");
        }
        Map<Integer, double[]> result = new TreeMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String where = "layers[" + i + "]";
            JsonNode layer = layers.get(i);
            if (!layer.isObject()) {
                throw new InputFileException(f, where, "must be an object {\"layer\": ..., \"expertCounts\": [...]}");
            }
            for (Iterator<String> it = layer.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("layer") && !key.equals("expertCounts")) {
                    throw new InputFileException(f, where + "." + key, "is not a known key (layer, expertCounts)");
                }
            }
            int index = intField(f, where, layer, "layer");
            checkRange(f, where + ".layer", index, moeLayers, " (the model's MoE layers)");
            JsonNode counts = layer.get("expertCounts");
            if (counts == null || !counts.isArray() || counts.size() != experts) {
                throw new InputFileException(f, where + ".expertCounts", "must list one count for each of the "
                        + experts + " experts, got " + (counts == null || !counts.isArray() ? "none" : counts.size()));
            }
            double[] c = new double[experts];
            double sum = 0;
            for (int e = 0; e < experts; e++) {
                JsonNode v = counts.get(e);
                if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > tokens) {
                    throw new InputFileException(f, where + ".expertCounts[" + e + "]",
                            "must be a number in [0, tokens = " + tokens + "], got " + v);
                }
                c[e] = v.doubleValue();
                sum += c[e];
            }
            if (sum <= 0) {
                throw new InputFileException(f, where + ".expertCounts", "must not be all zero");
            }
            if (result.put(index, c) != null) {
                throw new InputFileException(f, where + ".layer", "repeats layer " + index);
            }
        }
        return new CountsTrace(tokens, result);
    }

    private static int intField(String f, String where, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new InputFileException(f, where + " " + key, "is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InputFileException(f, where + " " + key, "must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static int parseInt(String f, String where, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InputFileException(f, where, "must be an integer, got '" + text.strip() + "'");
        }
    }

    private static void checkRange(String f, String where, int value, int limit, String what) {
        if (value < 0) {
            throw new InputFileException(f, where, "must be >= 0, got " + value);
        }
        if (value >= limit) {
            throw new InputFileException(f, where, "must be < " + limit + what + ", got " + value);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
