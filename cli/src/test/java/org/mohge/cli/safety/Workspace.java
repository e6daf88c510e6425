package org.mohge.cli.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A temporary folder with copies of shipped inputs, and a snapshot of everything in it. */
record Workspace(Path root) {
    static final Path SMALL = Path.of("..", "scenarios", "examples", "validate-mohge-small.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A copy of the small shipped scenario, edited by {@code edit}, written as {@code name}. */
    Path scenario(String name, Consumer<ObjectNode> edit) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(SMALL.toFile());
            edit.accept(tree);
            return Files.writeString(root.resolve(name), JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode at(ObjectNode tree, String key) {
        JsonNode n = tree.get(key);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return tree.putObject(key);
    }

    /** Every path under the root with its size and modification time: equal snapshots mean nothing was touched. */
    Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(p -> {
                try {
                    files.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                            : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
