package org.mohge.cli.scenario;

import org.mohge.costmodel.spec.Require;

/**
 * An input file's {@code output} section: where reports and result files go (default
 * {@code out/<name>}). The folder rule itself is {@link org.mohge.cli.output.OutputFolder}'s.
 */
public record OutputSpec(String dir) {
    /** Longest name: it becomes a folder name with a staging suffix, well inside 255 bytes. */
    public static final int MAX_NAME_LENGTH = 120;

    public OutputSpec {
        if (dir != null) {
            Require.text(dir, "dir");
        }
    }

    public static OutputSpec defaults() {
        return new OutputSpec(null);
    }

    /** A {@code name} names the default output folder: one path segment of safe characters, not '.' or '..'. */
    public static void requireFolderName(String name) {
        Require.text(name, "name");
        Require.check(name.matches("[A-Za-z0-9._-]+"), "name",
                "must use only letters, digits, '.', '_' and '-' (it names the output folder), got '" + name + "'");
        Require.check(!name.matches("\\.+"), "name", "must not be only dots (it names the output folder), got '"
                + name + "'");
        Require.check(name.length() <= MAX_NAME_LENGTH, "name", "must be at most " + MAX_NAME_LENGTH
                + " characters (it names the output folder), got " + name.length());
    }
}
