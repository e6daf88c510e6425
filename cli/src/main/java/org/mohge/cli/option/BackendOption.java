package org.mohge.cli.option;

import java.io.PrintWriter;
import org.mohge.cli.output.WriterStream;
import org.mohge.gpu.api.Backends;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.cuda.CudaUnavailableException;
import org.mohge.cli.scenario.ScenarioException;
import picocli.CommandLine.Option;

/** {@code --backend cpu|cuda|auto}: where real layers run. */
public final class BackendOption {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "cpu|cuda|auto",
            description = "Backend that executes the layer: cpu (pure-Java reference), cuda (JCuda on a GPU), "
                    + "auto (cuda when available, else cpu). Default: ${DEFAULT-VALUE}.")
    private String backend;

    public String name() {
        return backend;
    }

    /** Opens the backend; a demanded but missing CUDA is a one-line error, exit 2. */
    public LayerBackend open(PrintWriter warnings) {
        return open(backend, warnings);
    }

    /** Opens backend {@code backend} (cpu, cuda or auto). */
    public LayerBackend open(String backend, PrintWriter warnings) {
        if (!backend.equals("cpu") && !backend.equals("cuda") && !backend.equals("auto")) {
            throw new ScenarioException("--backend: must be cpu, cuda or auto, got '" + backend + "'");
        }
        try {
            return Backends.open(backend, WriterStream.of(warnings));
        } catch (CudaUnavailableException e) {
            throw new ScenarioException("--backend cuda: " + e.getMessage(), e);
        }
    }
}
