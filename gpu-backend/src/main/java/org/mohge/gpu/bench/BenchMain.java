package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.mohge.gpu.api.Backends;
import org.mohge.gpu.api.LayerBackend;

/**
 * Stand-alone entry point until {@code mohge bench} is wired:
 * {@code BenchMain gemm|layer [--backend cpu|cuda|auto] [--quick] [--json] [--out FILE]}.
 * Results go to stdout (table, or JSON with {@code --json}) or to {@code --out} (JSON, written to a
 * temp file and moved into place); warnings such as {@code CUDA unavailable: ...} go to stderr.
 * Exit codes: 0 ok, 1 failure (e.g. {@code --backend cuda} without CUDA), 2 usage.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: BenchMain gemm|layer [--backend cpu|cuda|auto] [--quick] [--json] [--out FILE]");
            return 2;
        }
        String what = args[0];
        String backendName = "auto";
        boolean json = false;
        boolean quick = false;
        Path file = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backendName = args[++i];
                case "--json" -> json = true;
                case "--quick" -> quick = true;
                case "--out" -> file = Path.of(args[++i]);
                default -> {
                    err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        List<Measurement> results;
        try {
            if (!what.equals("gemm") && !what.equals("layer")) {
                err.println("unknown benchmark " + what + " (gemm or layer)");
                return 2;
            }
            try (LayerBackend backend = Backends.open(backendName, err)) {
                boolean gpu = backend.name().equals("cuda");
                results = what.equals("gemm") ? GemmBenchmark.run(backend, gemmSweep(gpu, quick))
                        : LayerBenchmark.run(backend, layerSweep(gpu, quick));
            }
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return 1;
        }
        try {
            if (file != null) {
                writeAtomically(file, MeasurementJson.toJson(results));
            }
        } catch (IOException e) {
            err.println("cannot write " + file + ": " + e.getMessage());
            return 1;
        }
        out.print(json ? MeasurementJson.toJson(results) : MeasurementJson.toTable(results));
        return 0;
    }

    public static GemmBenchmark.Sweep gemmSweep(boolean gpu, boolean quick) {
        if (quick) {
            return new GemmBenchmark.Sweep(List.of(8, 32), List.of(64, 128), List.of(128), 2, 1, 2, 42);
        }
        return gpu ? GemmBenchmark.Sweep.gpuDefault() : GemmBenchmark.Sweep.cpuDefault();
    }

    public static LayerBenchmark.Sweep layerSweep(boolean gpu, boolean quick) {
        if (quick) {
            return new LayerBenchmark.Sweep(LayerBenchmark.smallMohge(), 128, List.of(32, 96), 1, 2, 42);
        }
        return gpu ? LayerBenchmark.Sweep.gpuDefault() : LayerBenchmark.Sweep.cpuDefault();
    }

    /**
     * Writes {@code text} to a hidden sibling and moves it into place, so a reader never sees half a
     * file. The sibling is created like any file (it follows the umask, unlike createTempFile's
     * 0600) and is removed if the write fails.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        // CREATE_NEW before the try: a name that already exists fails here and is not deleted below.
        Files.writeString(tmp, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
