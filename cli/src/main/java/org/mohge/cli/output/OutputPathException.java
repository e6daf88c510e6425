package org.mohge.cli.output;

/**
 * An output path the tool will not write (it would replace files the tool did not write, it is not
 * a folder, it cannot be created): the message is the one line the user sees. Exit code 2.
 */
public final class OutputPathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputPathException(String message) {
        super(message);
    }
}
