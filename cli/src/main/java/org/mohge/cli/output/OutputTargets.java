package org.mohge.cli.output;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Checks shared by output folders and output files: can this path be created here? */
final class OutputTargets {
    private OutputTargets() {
    }

    static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** An existing {@code target} is replaced by a rename in its folder, which must be writable. */
    static void requireWritableParent(Path target, String shown) {
        if (!Files.isWritable(target.getParent())) {
            throw new OutputPathException(shown + ": cannot be replaced: folder " + target.getParent()
                    + " is not writable");
        }
    }

    /**
     * The nearest existing ancestor of {@code target} must be a writable folder, so the target (or
     * a staging sibling) can be created; else one line naming the ancestor and the cause.
     */
    static void requireCreatableIn(Path target, String shown) {
        Path parent = target.getParent();
        Path ancestor = parent;
        while (ancestor != null && !Files.exists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new OutputPathException(shown + ": cannot be created (no existing parent folder)");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new OutputPathException(shown + ": cannot be created: " + ancestor + " is a file, not a folder");
        }
        if (!Files.isWritable(ancestor)) {
            throw new OutputPathException(shown + ": cannot be created: folder " + ancestor + " is not writable");
        }
        for (Path p = parent; p != null && !p.equals(ancestor); p = p.getParent()) {
            if (p.getFileName().toString().length() > 255) {
                throw new OutputPathException(shown + ": name too long (" + p.getFileName().toString().length()
                        + " characters; at most 255 per folder name)");
            }
        }
        if (target.getFileName().toString().length() > 200) {
            throw new OutputPathException(shown + ": name too long (" + target.getFileName().toString().length()
                    + " characters; at most 200 so the tool's staging name fits)");
        }
    }
}
