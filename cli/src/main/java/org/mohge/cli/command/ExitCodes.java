package org.mohge.cli.command;

/** Exit codes of every command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an unexpected failure inside the tool. */
    public static final int SOFTWARE = 1;
    /** Bad command line or bad input file. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
