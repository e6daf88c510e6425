package org.mohge.cli.option;

import java.nio.file.Path;
import org.mohge.cli.output.OutputFolder;
import picocli.CommandLine.Option;

/** {@code --out DIR} of the commands that write a report folder, and the folder rule applied to it. */
public final class OutputDirOption {
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: the input file's output.dir, "
            + "else out/<name>. Only a folder mohge wrote (it holds a .mohge-output file) or an empty one is "
            + "replaced.")
    private Path out;

    /**
     * The folder to write, checked before any work: {@code --out}, else {@code fileDir} (the input
     * file's {@code output.dir}, confined to its folder or the working folder), else {@code out/NAME}.
     */
    public OutputFolder claim(Path inputFile, String fileDir, String name) {
        if (out != null) {
            return OutputFolder.claim(out, new OutputFolder.Origin.CommandLine());
        }
        if (fileDir != null) {
            return OutputFolder.claim(Path.of(fileDir), new OutputFolder.Origin.InputFile(inputFile, "output.dir"));
        }
        return OutputFolder.claim(Path.of("out", name), new OutputFolder.Origin.Default());
    }
}
