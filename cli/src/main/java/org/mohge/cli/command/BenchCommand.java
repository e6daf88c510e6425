package org.mohge.cli.command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mohge.cli.calibrate.ValidationResult;
import org.mohge.cli.calibrate.ValidationSuite;
import org.mohge.cli.fidelity.FidelitySuite;
import org.mohge.cli.fidelity.FidelityTable;
import org.mohge.cli.option.BackendOption;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.Progress;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.output.WriterStream;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.bench.BenchMain;
import org.mohge.gpu.bench.GemmBenchmark;
import org.mohge.gpu.bench.LayerBenchmark;
import org.mohge.costmodel.calibration.Measurement;
import org.mohge.gpu.bench.MeasurementJson;
import org.mohge.sim.bench.BenchFigure;
import org.mohge.sim.bench.SimBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge bench}: microbenchmarks that print figures (never tests). */
@Command(name = "bench",
        header = "Run a benchmark and print its figures.",
        description = {"Run a benchmark and print its figures (a table, or one JSON document with --json).",
            "",
            "gemm: expert-FFN GEMMs over tokens per expert, expert hidden and model hidden size (calibration format).",
            "layer: whole MoE layer forward passes and their stages.",
            "sim: simulator speed (exact routing decisions per second; one aggregate training step of a",
            "61-layer, 256-expert model on 256 GPUs; serving requests simulated per second, DeepSeek-V3 on 16 GPUs).",
            "validation: calibrate on the backend, then validate 24 small layer configurations against it;",
            "prints each case's median error and the suite's median.",
            "fidelity: re-price the published training runs listed in --suite (reference.json) the way",
            "`mohge cost` prices a training step; per run published and predicted tokens/s/GPU and model",
            "TFLOP/s/GPU, the error, and where the predicted step time goes; then the runs of --suite's",
            "checks/ folder (its own reference.json), independent runs outside the target, in a second table."},
        footer = {"", "Examples:",
            "  mohge bench gemm --backend cpu --quick",
            "  mohge bench layer --backend cuda --json --out layer.json",
            "  mohge bench sim --json",
            "  mohge bench validation --backend cpu --out validation.json",
            "  mohge bench fidelity --json"})
public final class BenchCommand implements Callable<Integer> {
    /** The benchmarks on offer. */
    enum Benchmark { gemm, layer, sim, validation, fidelity }

    @Parameters(index = "0", paramLabel = "gemm|layer|sim|validation|fidelity", description = "Which benchmark.")
    Benchmark what;
    @Mixin
    BackendOption backend;
    @Option(names = "--quick", description = "A small sweep (seconds) for gemm, layer and validation; sim and "
            + "fidelity always run their fixed workloads (use --repeats 1 for a quicker sim).")
    boolean quick;
    @Option(names = "--json", description = "Print the figures as one JSON document on stdout.")
    boolean json;
    @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path out;
    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of each sim benchmark (the best counts). "
            + "Default: ${DEFAULT-VALUE}.")
    int repeats;
    @Option(names = "--suite", defaultValue = "scenarios/published", paramLabel = "DIR",
            description = "Folder of the fidelity suite (its reference.json lists the runs; checks/reference.json, "
                    + "if present, the independent checks). Default: ${DEFAULT-VALUE}.")
    Path suite;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be >= 1, got " + repeats);
        }
        if (what != Benchmark.sim && spec.commandLine().getParseResult().hasMatchedOption("--repeats")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats applies to bench sim only; " + what
                    + " sets its own repeats (--quick for fewer)");
        }
        if (out != null) {
            AtomicFiles.check(out);
        }
        return switch (what) {
            case gemm, layer -> measurements();
            case sim -> sim();
            case validation -> validation();
            case fidelity -> fidelity();
        };
    }

    private int measurements() throws IOException {
        List<Measurement> results;
        try (LayerBackend b = backend.open(spec.commandLine().getErr())) {
            boolean gpu = b.name().equals("cuda");
            results = what == Benchmark.gemm ? GemmBenchmark.run(b, BenchMain.gemmSweep(gpu, quick))
                    : LayerBenchmark.run(b, BenchMain.layerSweep(gpu, quick));
        }
        String document = MeasurementJson.toJson(results);
        if (out != null) {
            AtomicFiles.writeString(out, document);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(json ? document : MeasurementJson.toTable(results));
        o.flush();
        return ExitCodes.OK;
    }

    private int sim() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        // With --json the lines go nowhere and stdout holds only the document.
        PrintStream lines = json ? new PrintStream(OutputStream.nullOutputStream()) : WriterStream.of(o);
        List<BenchFigure> figures = SimBenchmark.run(lines, repeats);
        lines.flush();
        finish(figures);
        return ExitCodes.OK;
    }

    private int validation() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ValidationSuite.Result result;
        try (LayerBackend b = backend.open(err)) {
            result = ValidationSuite.run(b, quick, Progress.lines(err, ""));
        }
        if (json || out != null) {
            finish(result);
            if (json) {
                return ExitCodes.OK;
            }
        }
        PrintWriter o = spec.commandLine().getOut();
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

    private int fidelity() throws IOException {
        FidelitySuite.Result result = FidelitySuite.run(suite);
        if (json || out != null) {
            finish(result);
            if (json) {
                return ExitCodes.OK;
            }
        }
        FidelityTable.print(spec.commandLine().getOut(), result);
        return ExitCodes.OK;
    }

    /** Writes {@code --out} and, with {@code --json}, prints the one JSON document. */
    private void finish(Object document) throws IOException {
        String text = JsonOutput.toJson(document) + "\n";
        if (out != null) {
            AtomicFiles.writeString(out, text);
        }
        if (json) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
        }
    }
}
