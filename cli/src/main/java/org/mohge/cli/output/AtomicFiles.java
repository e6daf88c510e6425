package org.mohge.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.mohge.sim.InputFiles;

/**
 * Output files are written to a hidden staging file beside the target and moved into place: no
 * half-written file. {@link #check} refuses, before any work, a target that is a folder or a
 * special file, an input the run has read (a scenario, placement or profile), or one that cannot
 * be created.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of one file. */
    public interface Writing {
        void write(OutputStream out) throws IOException;
    }

    /** One-line {@link OutputPathException} unless {@code target} can be written as a regular file. */
    public static void check(Path target) {
        Path abs = OutputTargets.absolute(target);
        String shown = target.toString();
        if (Files.isDirectory(abs)) {
            throw new OutputPathException(shown + ": is a folder; name a file");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputPathException(shown + ": is not a regular file (a device, pipe or link); name a file");
        }
        if (Files.exists(abs) && InputFiles.wasRead(abs)) {
            throw new OutputPathException(shown + ": is an input of this run; name another file for the output");
        }
        if (Files.exists(abs)) {
            OutputTargets.requireWritableParent(abs, shown);
        } else {
            OutputTargets.requireCreatableIn(abs, shown);
        }
    }

    public static void write(Path target, Writing writing) throws IOException {
        check(target);
        Path abs = OutputTargets.absolute(target);
        Files.createDirectories(abs.getParent());
        Path tmp = StagingPaths.siblingName(abs, "tmp");
        StagingPaths.register(tmp);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writing.write(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
            StagingPaths.unregister(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
