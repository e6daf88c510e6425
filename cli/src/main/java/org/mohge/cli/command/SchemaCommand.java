package org.mohge.cli.command;

import java.util.concurrent.Callable;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.scenario.SchemaGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge schema}: prints the JSON Schema of scenario files. */
@Command(name = "schema",
        header = "Print the JSON Schema of scenario files.",
        description = "Print the JSON Schema of scenario files (the copy in scenarios/schema/ is kept equal by a test).",
        footer = {"", "Example:", "  mohge schema > scenarios/schema/scenario.schema.json"})
public final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonOutput.print(spec.commandLine().getOut(), SchemaGenerator.scenarioSchema());
        return ExitCodes.OK;
    }
}
