package org.mohge.cli.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.hardware.GpuSpec;

/**
 * Says when a calibration should not be trusted: a held-out error too large for predictions to
 * mean much, or a fitted bandwidth no such device can reach (the fit then explains the timings with
 * a parameter that means nothing physical, often because the data fitted in cache).
 */
public final class CalibrationWarnings {
    /** Held-out median error above which the fit is called poor. */
    public static final double MAX_HELD_OUT_ERROR_PCT = 15.0;
    /**
     * Bandwidth one CPU thread can plausibly stream, generously (from L2 rather than DRAM, which
     * gives 10-30 GB/s per core): fitted figures above this many times the thread count are cache
     * effects, not memory bandwidth.
     */
    static final double CPU_GB_PER_S_PER_THREAD = 100.0;

    private CalibrationWarnings() {
    }

    /** Warnings for {@code profile} measured with {@code threads} CPU threads (ignored for GPUs); empty when none. */
    public static List<String> of(CalibrationProfile profile, int threads) {
        List<String> warnings = new ArrayList<>();
        double heldOut = profile.fit().heldOutMedianAbsErrorPct();
        if (heldOut > MAX_HELD_OUT_ERROR_PCT) {
            warnings.add(String.format(Locale.ROOT, "held-out median error %.1f%% is over %.0f%%: the fit predicts this "
                    + "backend poorly (a loaded machine, or timings too noisy); re-run on a quiet machine before "
                    + "trusting predictions made with it", heldOut, MAX_HELD_OUT_ERROR_PCT));
        }
        double bandwidth = profile.gemm().bandwidthGBps();
        double plausible = profile.backend().equals("cuda")
                ? 1.1 * GpuCatalog.all().stream().mapToDouble(GpuSpec::hbmGBps).max().orElse(0)
                : CPU_GB_PER_S_PER_THREAD * threads;
        if (bandwidth > plausible) {
            warnings.add(String.format(Locale.ROOT, "fitted bandwidth %.0f GB/s is above what this %s can stream "
                    + "(about %.0f GB/s at most): the memory floor of the fit is not a real bandwidth, so predictions "
                    + "of memory-bound shapes are not trustworthy", bandwidth,
                    profile.backend().equals("cuda") ? "GPU" : "CPU (" + threads + " threads)", plausible));
        }
        return warnings;
    }
}
