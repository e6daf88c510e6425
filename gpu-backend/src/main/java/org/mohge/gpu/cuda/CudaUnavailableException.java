package org.mohge.gpu.cuda;

/** No usable CUDA device: no driver library, no GPU, or the kernels would not load. */
public final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String reason, Throwable cause) {
        super("CUDA unavailable: " + reason, cause);
    }

    /** The reason alone, without the {@code CUDA unavailable: } prefix. */
    public String reason() {
        return getMessage().substring("CUDA unavailable: ".length());
    }
}
