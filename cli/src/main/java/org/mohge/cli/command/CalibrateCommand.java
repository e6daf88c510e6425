package org.mohge.cli.command;

import org.mohge.cli.output.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mohge.cli.calibrate.CalibrationRun;
import org.mohge.cli.option.BackendOption;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.Units;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.calibration.FitQuality;
import org.mohge.costmodel.calibration.GemmEfficiencyModel;
import org.mohge.gpu.api.LayerBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge calibrate}: measure expert FFNs on a backend and fit the cost model to them. */
@Command(name = "calibrate",
        header = "Fit the cost model to kernel timings measured on a backend.",
        description = {"Measure expert-FFN kernels on a backend, fit the cost model's efficiency curves (least squares)",
            "and write a calibration profile that scenarios name with \"calibration\": \"FILE\"."},
        footer = {"", "Examples:",
            "  mohge calibrate --backend cpu --out calibration/cpu-local.json",
            "  mohge calibrate --backend cuda --out calibration/h200.json --json"})
public final class CalibrateCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;
    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the profile. Default: "
            + "calibration/<backend>-local.json.")
    Path out;
    @Option(names = "--quick", description = "A small sweep (seconds; for tests).")
    boolean quick;
    @Option(names = "--json", description = "Print the profile as JSON instead of a summary.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (out != null) {
            AtomicFiles.check(out);
        }
        CalibrationProfile profile;
        try (LayerBackend b = backend.open(err)) {
            profile = CalibrationRun.run(b, CalibrationRun.sweep(b.name().equals("cuda"), quick),
                    Progress.lines(err, ""));
        }
        Path file = out != null ? out : Path.of("calibration", profile.backend() + "-local.json");
        AtomicFiles.writeString(file, JsonOutput.toJson(profile) + "\n");
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(o, profile);
            return ExitCodes.OK;
        }
        GemmEfficiencyModel g = profile.gemm();
        FitQuality q = profile.fit();
        o.println("Calibration of " + profile.backend() + " on " + profile.device() + " (" + profile.dtype() + "), "
                + q.measurements() + " measurements -> " + file);
        o.println("peak " + Units.fixed(g.peakTflops() * 1e3, 1) + " GFLOP/s; half efficiency at m = "
                + Units.fixed(g.mHalf(), 1) + ", n = " + Units.fixed(g.nHalf(), 1) + ", k = " + Units.fixed(g.kHalf(), 1)
                + "; bandwidth " + Units.fixed(g.bandwidthGBps(), 1) + " GB/s; launch " + Units.fixed(g.launchUs(), 1)
                + " us + " + Units.fixed(g.perGemmUs(), 1) + " us per expert GEMM");
        o.println("fit: R^2 (log time) " + Units.fixed(q.rSquaredLog(), 4) + ", median |error| "
                + Units.fixed(q.medianAbsErrorPct(), 1) + "%; " + q.folds() + "-fold held-out median |error| "
                + Units.fixed(q.heldOutMedianAbsErrorPct(), 1) + "%, max " + Units.fixed(q.heldOutMaxAbsErrorPct(), 1)
                + "%");
        return ExitCodes.OK;
    }
}
