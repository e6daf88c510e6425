package org.mohge.cli.command;

import org.mohge.cli.output.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import org.mohge.cli.calibrate.ValidationResult;
import org.mohge.cli.calibrate.ValidationSuite;
import org.mohge.cli.fidelity.FidelitySuite;
import org.mohge.cli.fidelity.FidelityTable;
import org.mohge.cli.option.BackendOption;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.output.WriterStream;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.bench.BenchMain;
import org.mohge.sim.bench.SimBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge bench}: microbenchmarks that print figures (never tests). */
@Command(name = "bench",
        header = "Run a benchmark and print its figures.",
        description = {"Run a benchmark and print its figures.",
            "",
            "gemm: expert-FFN GEMMs over tokens per expert, expert hidden and model hidden size (calibration format).",
            "layer: whole MoE layer forward passes and their stages.",
            "sim: simulator speed (exact routing decisions per second; one aggregate training step of a",
            "61-layer, 256-expert model on 256 GPUs).",
            "validation: calibrate on the backend, then validate 24 small layer configurations against it;",
            "prints each case's median error and the suite's median.",
            "fidelity: re-price the published training runs listed in --suite (reference.json) the way",
            "`mohge cost` prices a training step; per run published and predicted tokens/s/GPU and model",
            "TFLOP/s/GPU, the error, and where the predicted step time goes."},
        footer = {"", "Examples:",
            "  mohge bench gemm --backend cpu --quick",
            "  mohge bench layer --backend cuda --json --out layer.json",
            "  mohge bench sim",
            "  mohge bench validation --backend cpu",
            "  mohge bench fidelity --json"})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "gemm|layer|sim|validation|fidelity", description = "Which benchmark.")
    String what;
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "cpu|cuda|auto",
            description = "Backend for gemm and layer. Default: ${DEFAULT-VALUE}.")
    String backend;
    @Option(names = "--quick", description = "A small sweep (seconds).")
    boolean quick;
    @Option(names = "--json", description = "Print the measurements as one JSON document.")
    boolean json;
    @Option(names = "--out", paramLabel = "FILE", description = "Also write the measurements as JSON to FILE.")
    String out;
    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of each sim benchmark. Default: ${DEFAULT-VALUE}.")
    int repeats;
    @Option(names = "--suite", defaultValue = "scenarios/published", paramLabel = "DIR",
            description = "Folder of the fidelity suite (its reference.json lists the runs). Default: ${DEFAULT-VALUE}.")
    Path suite;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = WriterStream.of(spec.commandLine().getOut());
        PrintStream stderr = WriterStream.of(spec.commandLine().getErr());
        if (what.equals("sim")) {
            SimBenchmark.run(stdout, repeats);
            stdout.flush();
            return ExitCodes.OK;
        }
        if (what.equals("validation")) {
            return validation();
        }
        if (what.equals("fidelity")) {
            return fidelity();
        }
        if (!what.equals("gemm") && !what.equals("layer")) {
            spec.commandLine().getErr().println("bench: unknown benchmark '" + what + "' (gemm, layer, sim, validation or fidelity)");
            return ExitCodes.USAGE;
        }
        List<String> args = new ArrayList<>(List.of(what, "--backend", backend));
        if (quick) {
            args.add("--quick");
        }
        if (json) {
            args.add("--json");
        }
        if (out != null) {
            args.addAll(List.of("--out", out));
        }
        int code = BenchMain.run(args.toArray(String[]::new), stdout, stderr);
        stdout.flush();
        stderr.flush();
        return code;
    }

    private int fidelity() throws IOException {
        FidelitySuite.Result result = FidelitySuite.run(suite);
        if (out != null) {
            AtomicFiles.writeString(Path.of(out), JsonOutput.toJson(result) + System.lineSeparator());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(o, result);
            return ExitCodes.OK;
        }
        FidelityTable.print(o, result);
        return ExitCodes.OK;
    }

    private int validation() {
        PrintWriter err = spec.commandLine().getErr();
        ValidationSuite.Result result;
        try (LayerBackend b = new BackendOption().open(backend, err)) {
            result = ValidationSuite.run(b, quick, Progress.lines(err, ""));
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(o, result);
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("case", "partitions", "median |error|", "max |error|", "imbalance pred.",
                "imbalance meas.");
        for (ValidationSuite.Case c : result.cases()) {
            ValidationResult r = c.result();
            table.row(c.name(), r.partitions().size(), Units.fixed(r.medianAbsErrorPct(), 1) + "%",
                    Units.fixed(r.maxAbsErrorPct(), 1) + "%", Units.fixed(r.predictedImbalance(), 3),
                    Units.fixed(r.measuredImbalance(), 3));
        }
        o.print(table.render());
        o.println("calibration: " + result.calibration().fit().measurements() + " measurements, held-out median |error| "
                + Units.fixed(result.calibration().fit().heldOutMedianAbsErrorPct(), 1) + "%");
        o.println("suite: " + result.cases().size() + " configurations, median of medians "
                + Units.fixed(result.medianAbsErrorPct(), 1) + "%, worst partition " + Units.fixed(result.maxAbsErrorPct(), 1)
                + "%");
        return ExitCodes.OK;
    }
}
