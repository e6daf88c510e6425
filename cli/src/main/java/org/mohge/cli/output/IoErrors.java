package org.mohge.cli.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;

/** Turns an I/O failure into the one line the user sees: the path and the cause in words. */
public final class IoErrors {
    private IoErrors() {
    }

    /** The cause in words, without Java class names. */
    public static String cause(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** One line for an I/O failure: {@code PATH: cause}, or the message when no path is known. */
    public static String describe(Throwable t) {
        Throwable e = t instanceof UncheckedIOException u ? u.getCause() : t;
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            String other = fs.getOtherFile() != null ? " (to " + fs.getOtherFile() + ")" : "";
            return fs.getFile() + other + ": " + cause(fs);
        }
        if (e instanceof IOException io) {
            return "I/O error: " + cause(io);
        }
        if (e instanceof ReadOnlyFileSystemException) {
            return "I/O error: read-only file system";
        }
        return String.valueOf(e.getMessage());
    }

    /** True for the failures {@link #describe} explains: ordinary I/O problems, not bugs. */
    public static boolean isIo(Throwable t) {
        return t instanceof IOException || t instanceof UncheckedIOException
                || t instanceof ReadOnlyFileSystemException;
    }
}
