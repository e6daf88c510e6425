package org.mohge.cli.output;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Every file and folder under a folder, as paths relative to it with '/' separators, links not followed. */
final class FolderManifest {
    private FolderManifest() {
    }

    static List<String> list(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder, new FileVisitOption[0])) {
            return all.filter(p -> !p.equals(folder))
                    .map(p -> folder.relativize(p).toString().replace(folder.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        }
    }
}
