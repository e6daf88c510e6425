package org.mohge.cli.command;

import java.io.PrintWriter;
import org.mohge.cli.output.IoErrors;
import org.mohge.cli.output.OutputPathException;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.sim.InputFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code mohge} root command; each analysis is a subcommand. */
@Command(name = "mohge",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // every subcommand answers --help (and --version), as the error lines promise
        version = "MoHGE Explorer 0.1.0",
        description = {
            "Capacity planning, simulation and expert placement for Mixture-of-Experts models: uniform MoE,",
            "heterogeneous MoE (HMoE) and Mixture of Heterogeneous Grouped Experts (MoHGE)."},
        footer = {
            "",
            "Examples:",
            "  mohge study scenarios/paper/study-paper-claims.json",
            "  mohge simulate scenarios/paper/mohge-3g-8xh100.json --trace trace.json",
            "  mohge place scenarios/examples/place-skewed-mohge-2x4xh100.json --out placement.json",
            "  mohge params scenarios/real/mixtral-8x7b.json",
            "  mohge params scenarios/paper/mohge-3g-8xh100.json --json",
            "  mohge cost scenarios/paper/mohge-3g-8xh100.json",
            "  mohge schema > scenarios/schema/scenario.schema.json",
            "",
            "Exit codes: 0 ok, 1 internal error, 2 bad command line or bad input file."},
        subcommands = {
            StudyCommand.class,
            PlanCommand.class,
            ParamsCommand.class,
            CostCommand.class,
            SimulateCommand.class,
            ServeCommand.class,
            PlaceCommand.class,
            BenchCommand.class,
            CalibrateCommand.class,
            ValidateCommand.class,
            SchemaCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MohgeCommand implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The one line for an error caused by the user's input or files, or null for a bug. */
    static String userError(Throwable ex) {
        if (ex instanceof ScenarioException || ex instanceof SpecViolation || ex instanceof InputFileException
                || ex instanceof OutputPathException) {
            return ex.getMessage();
        }
        if (IoErrors.isIo(ex)) {
            return IoErrors.describe(ex);
        }
        return null;
    }

    /** Columns of --help text. */
    static final int HELP_WIDTH = 120;

    /** Runs the command line with the given streams and returns the exit code (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        org.mohge.sim.InputFiles.forgetReads();
        MohgeCommand root = new MohgeCommand();
        CommandLine cli = new CommandLine(root);
        // Descriptions are laid out by hand in lines of up to about 110 characters: a narrower width
        // would re-wrap each of them and break the paragraphs mid-sentence.
        cli.setUsageHelpWidth(HELP_WIDTH);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = root.debug || parseResult.expandedArgs().contains("--debug");
            String line = userError(ex);
            if (line != null) {
                commandLine.getErr().println(line);
                if (debug) {
                    ex.printStackTrace(commandLine.getErr());
                }
                commandLine.getErr().flush();
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("error: " + ex);
            if (debug) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run again with --debug for the stack trace)");
            }
            commandLine.getErr().flush();
            return ExitCodes.SOFTWARE;
        });
        // A bad option value: one line and a pointer to --help, not the whole usage text.
        cli.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
