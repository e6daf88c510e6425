package org.mohge.gpu.api;

import java.io.PrintStream;
import java.util.Locale;
import org.mohge.gpu.cpu.CpuLayerBackend;
import org.mohge.gpu.cuda.CudaAvailability;
import org.mohge.gpu.cuda.CudaLayerBackend;
import org.mohge.gpu.cuda.CudaUnavailableException;

/**
 * Opens a backend by name, for {@code --backend cpu|cuda|auto}:
 * <ul>
 *   <li>{@code cpu}: the float32 reference on all cores;</li>
 *   <li>{@code cuda}: the CUDA backend, or {@link CudaUnavailableException} ("CUDA unavailable: reason")
 *       when there is no driver, no GPU, or the kernels do not load;</li>
 *   <li>{@code auto}: CUDA when it opens, else the CPU backend, after printing
 *       {@code CUDA unavailable: <reason>} to {@code warnings} (once per JVM).</li>
 * </ul>
 */
public final class Backends {
    private static boolean warned;

    private Backends() {
    }

    public static LayerBackend open(String kind, PrintStream warnings) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return new CpuLayerBackend();
            case "cuda":
                return CudaLayerBackend.open();
            case "auto":
                try {
                    return CudaLayerBackend.open();
                } catch (CudaUnavailableException e) {
                    warnOnce(warnings, e.getMessage());
                    return new CpuLayerBackend();
                }
            default:
                throw new IllegalArgumentException("backend must be cpu, cuda or auto, got " + kind);
        }
    }

    /** {@code ""} when CUDA can be used here, else the reason it cannot (probed once, never throws). */
    public static String cudaUnavailableReason() {
        CudaAvailability a = CudaAvailability.probe();
        return a.available() ? "" : a.reason();
    }

    private static synchronized void warnOnce(PrintStream warnings, String message) {
        if (!warned) {
            warned = true;
            warnings.println(message);
        }
    }
}
