package org.mohge.cli.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.calibration.FitQuality;
import org.mohge.costmodel.calibration.GemmEfficiencyModel;
import org.mohge.costmodel.calibration.KernelPredictor;
import org.mohge.costmodel.calibration.Measurement;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.bench.GemmBenchmark;

/**
 * Calibrates the cost model on a backend: runs the expert-FFN microbenchmark sweep (the kernel a
 * GPU partition runs), fits the {@link GemmEfficiencyModel} through the very ops the simulator
 * prices, and measures the fit on held-out folds.
 */
public final class CalibrationRun {
    static final int FOLDS = 5;

    private CalibrationRun() {
    }

    /** Sweeps sized for the backend: a quick one for tests, the default one otherwise. */
    public static GemmBenchmark.Sweep sweep(boolean gpu, boolean quick) {
        if (quick) {
            return new GemmBenchmark.Sweep(List.of(16, 64, 256), List.of(32, 128, 384), List.of(128, 256), 2, 1, 5, 42);
        }
        return gpu ? GemmBenchmark.Sweep.gpuDefault()
                : new GemmBenchmark.Sweep(List.of(8, 32, 128, 512), List.of(64, 256, 1024), List.of(128, 512), 2, 1, 5,
                        42);
    }

    /** A starting point near the device class: the fit converges from there. */
    static GemmEfficiencyModel start(boolean gpu) {
        return gpu ? new GemmEfficiencyModel(500, 32, 64, 64, 2000, 5, 0.1)
                : new GemmEfficiencyModel(0.02, 8, 16, 16, 10, 5, 5);
    }

    public static CalibrationProfile run(LayerBackend backend, GemmBenchmark.Sweep sweep, Consumer<String> progress) {
        boolean gpu = backend.name().equals("cuda");
        progress.accept("measuring " + (2 * sweep.tokensPerExpert().size() * sweep.expertHidden().size()
                * sweep.modelHidden().size()) + " expert-FFN shapes on " + backend.deviceName() + " ...");
        // One untimed pass first: the JIT (CPU) or the clocks and caches (GPU) settle before timing.
        GemmBenchmark.run(backend, new GemmBenchmark.Sweep(sweep.tokensPerExpert(), sweep.expertHidden(),
                sweep.modelHidden(), sweep.experts(), 0, 1, sweep.seed()));
        List<Measurement> data = new ArrayList<>();
        // The sweep at its expert count and at twice it: per-expert and per-launch costs then separate.
        for (int experts : List.of(sweep.experts(), 2 * sweep.experts())) {
            GemmBenchmark.Sweep s = new GemmBenchmark.Sweep(sweep.tokensPerExpert(), sweep.expertHidden(),
                    sweep.modelHidden(), experts, sweep.warmups(), sweep.repeats(), sweep.seed());
            data.addAll(GemmBenchmark.run(backend, s));
        }
        data.removeIf(m -> !KernelPredictor.supports(m));
        progress.accept("fitting the efficiency model to " + data.size() + " measurements ...");
        CalibrationFitter fitter = new CalibrationFitter();
        GemmEfficiencyModel model = fitter.fit(data, start(gpu));
        FitQuality quality = fitter.quality(data, model, FOLDS);
        return new CalibrationProfile(backend.deviceName(), backend.name(), backend.dtype(), model, quality, data);
    }
}
