package org.mohge.cli.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The one rule for every folder the tool writes (study and plan reports): a folder the tool wrote
 * carries a {@value #MARKER} file listing every file and folder the tool put there, and the tool
 * replaces only such a folder that holds nothing else, or an empty one. It refuses anything else (a
 * file a user added beside a report included), a folder it may not write, the working folder or
 * one above it, and a folder an input file names outside that file's folder and the working
 * folder, with one line, before any work is done.
 *
 * <p>A new folder is written into a hidden staging sibling and moved into place, so a failed or
 * interrupted run leaves the previous folder intact; leftover staging folders are removed by the
 * next run into the same target.
 */
public final class OutputFolder {
    /** The file that marks a folder as written by the tool. */
    public static final String MARKER = ".mohge-output";
    private static final String MARKER_TEXT = "This folder was written by mohge; mohge replaces it on its next "
            + "run into the same folder, unless it then holds anything not listed below.\n";
    /** The line after which the marker lists, one per line, what the tool wrote (paths relative to the folder, '/'-separated). */
    private static final String WRITTEN = "written:";
    private static final String STAGING = "tmp";
    private static final String OLD = "old";

    private final Path target;
    private final Path given;
    private final String shown;

    private OutputFolder(Path target, Path given) {
        this.target = target;
        this.given = given;
        this.shown = given.toString();
    }

    /** Where an output folder was named: on the command line, or by a key of an input file. */
    public sealed interface Origin {
        /** {@code --out} on the command line: the user chose it, anywhere they can write. */
        record CommandLine() implements Origin {
        }

        /** The default folder, {@code out/NAME} under the working folder. */
        record Default() implements Origin {
        }

        /** A key of an input file ({@code output.dir}): confined to the file's folder or the working folder. */
        record InputFile(Path file, String key) implements Origin {
        }
    }

    /** Checks {@code dir} against the rule and returns the folder to write; nothing is created yet. */
    public static OutputFolder claim(Path dir, Origin origin) {
        Path target = OutputTargets.absolute(dir);
        String shown = dir.toString();
        Path cwd = OutputTargets.absolute(Path.of(""));
        if (origin instanceof Origin.InputFile f) {
            Path home = OutputTargets.absolute(f.file()).getParent();
            if (!target.startsWith(home) && !target.startsWith(cwd)) {
                throw new OutputPathException(f.file() + ": " + f.key() + " must name a folder inside " + home
                        + " or the working folder, got '" + dir + "' (give --out on the command line to write "
                        + "elsewhere)");
            }
        }
        if (target.getParent() == null || cwd.startsWith(target)) {
            throw new OutputPathException(shown + ": will not write a report over the working folder or a folder "
                    + "that contains it; name a new folder");
        }
        if (Files.isSymbolicLink(target)) {
            throw new OutputPathException(shown + ": is a symbolic link; name a folder");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            requireReplaceable(target, shown);
            OutputTargets.requireWritableParent(target, shown);
        } else {
            OutputTargets.requireCreatableIn(target, shown);
        }
        OutputFolder folder = new OutputFolder(target, dir);
        folder.removeLeftovers();
        return folder;
    }

    /** The folder as the user or the input file named it (relative paths stay relative). */
    public Path path() {
        return given;
    }

    /**
     * Creates the folder with its marker now, for a run that keeps state in it while it works (plan's
     * resume file, {@code stateFile}). The final {@link #replaceWith} still swaps in a complete folder.
     */
    public Path open(String stateFile) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
        }
        requireReplaceable(target, shown);
        // Everything there is the tool's (checked just above); the state file will be too.
        SortedSet<String> written = new TreeSet<>(FolderManifest.list(target));
        written.remove(MARKER);
        written.add(stateFile);
        writeMarker(target, written);
        return given;
    }

    /** Fills a folder (a fresh, empty staging folder). */
    public interface Content {
        void writeInto(Path folder) throws IOException;
    }

    /** Writes {@code content} into a staging sibling, then moves it into place over the previous folder. */
    public void replaceWith(Content content) throws IOException {
        Files.createDirectories(target.getParent());
        Path staging = StagingPaths.siblingName(target, STAGING);
        StagingPaths.register(staging);
        try {
            Files.createDirectory(staging);
            writeMarker(staging, Set.of()); // marked at once: a run killed while writing leaves a removable leftover
            content.writeInto(staging);
            SortedSet<String> written = new TreeSet<>(FolderManifest.list(staging));
            written.remove(MARKER);
            writeMarker(staging, written);
            swapIn(staging);
        } finally {
            StagingPaths.deleteTree(staging);
            StagingPaths.unregister(staging);
        }
    }

    private void swapIn(Path staging) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            move(staging, target);
            return;
        }
        // Checked again: the folder may have changed while the run worked.
        requireReplaceable(target, shown);
        Path old = StagingPaths.siblingName(target, OLD);
        move(target, old);
        try {
            move(staging, target);
        } catch (IOException | RuntimeException e) {
            move(old, target); // the new report could not go in: the previous one goes back
            throw e;
        }
        // Only now is the previous report no longer needed; a stop from here on loses nothing.
        StagingPaths.register(old);
        try {
            StagingPaths.deleteTree(old);
        } finally {
            StagingPaths.unregister(old);
        }
    }

    private static void writeMarker(Path folder, Set<String> written) throws IOException {
        StringBuilder text = new StringBuilder(MARKER_TEXT).append(WRITTEN).append('\n');
        written.forEach(w -> text.append(w).append('\n'));
        Files.writeString(folder.resolve(MARKER), text, StandardCharsets.UTF_8);
    }

    private static void requireReplaceable(Path target, String shown) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputPathException(shown + ": exists and is not a folder; name a folder (it is created)");
        }
        if (!Files.isWritable(target)) {
            throw new OutputPathException(shown + ": folder is not writable; name a folder you may write");
        }
        Path marker = target.resolve(MARKER);
        if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
            requireOnlyWhatTheToolWrote(target, marker, shown);
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new OutputPathException(shown + ": folder exists, is not empty and was not written by mohge "
                        + "(no " + MARKER + " file in it); name a new or empty folder");
            }
        } catch (IOException e) {
            throw new OutputPathException(shown + ": cannot list the folder (" + IoErrors.cause(e) + ")");
        }
    }

    /**
     * A marked folder may be replaced only while it holds nothing but what its marker lists: a file
     * a user put beside a report stops the run. (A marker without a list, from a version before the
     * list, vouches for the whole folder.)
     */
    private static void requireOnlyWhatTheToolWrote(Path target, Path marker, String shown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OutputPathException(shown + ": cannot read its " + MARKER + " file (" + IoErrors.cause(e) + ")");
        }
        int list = lines.indexOf(WRITTEN);
        if (list < 0) {
            return;
        }
        Set<String> written = new HashSet<>(lines.subList(list + 1, lines.size()));
        List<String> foreign = new ArrayList<>();
        try {
            for (String entry : FolderManifest.list(target)) {
                if (!entry.equals(MARKER) && !written.contains(entry) && !isStagingLeftover(target, entry, written)) {
                    foreign.add(entry);
                }
            }
        } catch (IOException e) {
            throw new OutputPathException(shown + ": cannot list the folder (" + IoErrors.cause(e) + ")");
        }
        if (!foreign.isEmpty()) {
            throw new OutputPathException(shown + ": holds " + foreign.get(0)
                    + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more" : "")
                    + ", which mohge did not write; move it out of the report folder or name another folder");
        }
    }

    /** A staging file an interrupted run left beside one of the files it wrote (plan's resume file). */
    private static boolean isStagingLeftover(Path folder, String entry, Set<String> written) {
        for (String w : written) {
            if (StagingPaths.isLeftoverOf(folder.resolve(entry), folder.resolve(w), "tmp")) {
                return true;
            }
        }
        return false;
    }

    /** Staging and old folders an interrupted earlier run left beside the target (they carry the marker). */
    private void removeLeftovers() {
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "." + target.getFileName() + ".*")) {
            for (Path p : entries) {
                boolean ours = StagingPaths.isLeftoverOf(p, target, STAGING) || StagingPaths.isLeftoverOf(p, target, OLD);
                if (ours && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.exists(p.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                    StagingPaths.deleteTree(p);
                }
            }
        } catch (IOException e) {
            // Leftovers are tidied on a best-effort basis; they never block a run.
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
