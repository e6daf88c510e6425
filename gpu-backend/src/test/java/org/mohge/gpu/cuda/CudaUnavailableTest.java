package org.mohge.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mohge.gpu.api.Backends;
import org.mohge.gpu.api.LayerBackend;

/** Without a driver or GPU the backend reports why, once, and the JVM carries on. */
class CudaUnavailableTest {

    @Test
    void withoutAGpuCudaFailsCleanlyAndAutoFallsBackToCpuWarningOnce() {
        CudaAvailability a = CudaAvailability.probe();
        assumeFalse(a.available(), "a CUDA device is present: " + a.deviceName());
        assertThat(a.reason()).isNotBlank();
        assertThat(Backends.cudaUnavailableReason()).isEqualTo(a.reason());

        assertThatThrownBy(() -> Backends.open("cuda", System.err))
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("CUDA unavailable: ");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream warnings = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (LayerBackend first = Backends.open("auto", warnings); LayerBackend second = Backends.open("auto", warnings)) {
            assertThat(first.name()).isEqualTo("cpu");
            assertThat(second.name()).isEqualTo("cpu");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).containsExactly("CUDA unavailable: " + a.reason());
    }

    @Test
    void unknownBackendNameIsRejected() {
        assertThatThrownBy(() -> Backends.open("tpu", System.err)).hasMessageContaining("cpu, cuda or auto");
    }
}
