package org.mohge.sim;

/**
 * A routing trace or placement file broke a rule; the message is one line
 * {@code file: path rule}, for example {@code trace.csv: line 12 experts[1] must be < 64, got 300}.
 */
public final class InputFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String path;
    private final String rule;

    public InputFileException(String file, String path, String rule) {
        super(file + ": " + (path.isEmpty() ? "" : path + " ") + rule);
        this.file = file;
        this.path = path;
        this.rule = rule;
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public String rule() {
        return rule;
    }
}
