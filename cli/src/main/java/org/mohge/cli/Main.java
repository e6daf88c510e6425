package org.mohge.cli;

import java.io.PrintWriter;
import org.mohge.cli.command.MohgeCommand;

/** Entry point of the {@code mohge} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MohgeCommand.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
