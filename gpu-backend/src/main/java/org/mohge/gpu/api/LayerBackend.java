package org.mohge.gpu.api;

/**
 * Something that executes MoE layers: the CPU reference ({@code cpu}) or CUDA ({@code cuda}).
 * Open one with {@link Backends#open(String, java.io.PrintStream)}.
 */
public interface LayerBackend extends AutoCloseable {

    /** {@code cpu} or {@code cuda}. */
    String name();

    /** Device the measurements come from, e.g. {@code "NVIDIA H200"} or {@code "cpu (2 threads, amd64)"}. */
    String deviceName();

    /** Numeric format the expert GEMMs run in: {@code fp32} on CPU, {@code bf16} on CUDA. */
    String dtype();

    ExecutableLayer load(LayerWeights weights);

    @Override
    void close();
}
