package org.mohge.cli.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One edit of a shipped input file, as a careless or hostile user would make it: delete a key,
 * change a value's type, rescale a number, inject an odd string, duplicate a key, truncate the
 * text, or (for line-based traces) drop, repeat or garble a line. All choices come from {@code seed}.
 */
record Mutation(Kind kind, long seed) {
    enum Kind { DELETE, RETYPE, RESCALE, INJECT_STRING, DUPLICATE_KEY, TRUNCATE, LINE_EDIT }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] SCALES = {0, -1, 1e-9, 0.5, 1.5, 3, 1e3, 1e9, 1e308, Double.MIN_VALUE};
    private static final String[] STRINGS = {"", " ", "../../etc", "/", ".", "..", "<script>alert(1)</script>",
        "\u0000", "x".repeat(10_000), "NaN", "-Infinity", "1e999", "null", "h100-sxm", "synthetic", "\u00e9\u4e2d"};

    /** Applies the edit to {@code text}, the content of a JSON file or (when {@code lines}) of a CSV/JSONL file. */
    String apply(String text, boolean lines) {
        SplittableRandom r = new SplittableRandom(seed);
        if (kind == Kind.TRUNCATE) {
            return text.substring(0, r.nextInt(Math.max(1, text.length())));
        }
        if (lines || kind == Kind.LINE_EDIT) {
            return editLine(text, r);
        }
        try {
            JsonNode root = JSON.readTree(text);
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                return text;
            }
            Slot s = slots.get(r.nextInt(slots.size()));
            if (kind == Kind.DUPLICATE_KEY) {
                return duplicateKey(text, s, r);
            }
            edit(s, r);
            return JSON.writeValueAsString(root);
        } catch (Exception e) {
            return text; // an earlier edit already broke the JSON; the file goes in as it is
        }
    }

    /** A place in the tree: a key of an object or an index of an array. */
    private record Slot(JsonNode parent, String key, int index) {
        JsonNode value() {
            return key != null ? parent.get(key) : parent.get(index);
        }

        void set(JsonNode v) {
            if (key != null) {
                ((ObjectNode) parent).set(key, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.add(new Slot(node, k, -1));
                collect(node.get(k), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i));
                collect(node.get(i), out);
            }
        }
    }

    private void edit(Slot s, SplittableRandom r) {
        JsonNode v = s.value();
        switch (kind) {
            case DELETE -> {
                if (s.key() != null) {
                    ((ObjectNode) s.parent()).remove(s.key());
                } else {
                    ((ArrayNode) s.parent()).remove(s.index());
                }
            }
            case RETYPE -> s.set(v.isNumber() ? JSON.getNodeFactory().textNode(v.asText())
                    : v.isTextual() ? JSON.getNodeFactory().numberNode(r.nextInt(1000) - 10)
                    : v.isBoolean() ? JSON.getNodeFactory().numberNode(1)
                    : v.isArray() ? JSON.createObjectNode() : JSON.createArrayNode());
            case RESCALE -> {
                double f = SCALES[r.nextInt(SCALES.length)];
                if (v.isIntegralNumber()) {
                    double x = v.asDouble() * f;
                    s.set(Math.abs(x) < 9e18 ? JSON.getNodeFactory().numberNode((long) x)
                            : JSON.getNodeFactory().numberNode(x));
                } else if (v.isNumber()) {
                    s.set(JSON.getNodeFactory().numberNode(v.asDouble() * f));
                } else {
                    s.set(JSON.getNodeFactory().numberNode(f));
                }
            }
            case INJECT_STRING -> s.set(JSON.getNodeFactory().textNode(STRINGS[r.nextInt(STRINGS.length)]));
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Writes the chosen key twice in its object (text level: a parsed tree cannot hold a duplicate). */
    private static String duplicateKey(String text, Slot s, SplittableRandom r) throws Exception {
        if (s.key() == null) {
            return text;
        }
        String member = JSON.writeValueAsString(s.key()) + ":" + JSON.writeValueAsString(s.value());
        String needle = JSON.writeValueAsString(s.key()) + ":";
        String compact = JSON.writeValueAsString(JSON.readTree(text));
        int at = compact.indexOf(needle);
        return at < 0 ? compact : compact.substring(0, at) + member + "," + compact.substring(at);
    }

    private static String editLine(String text, SplittableRandom r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.isEmpty()) {
            return text;
        }
        int i = r.nextInt(lines.size());
        switch (r.nextInt(4)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, lines.get(i));
            case 2 -> lines.set(i, lines.get(i).replaceAll("[0-9]+", String.valueOf(r.nextInt(100_000) - 50)));
            default -> lines.set(i, STRINGS[r.nextInt(STRINGS.length)]);
        }
        return String.join("\n", lines);
    }
}
