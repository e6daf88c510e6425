package org.mohge.costmodel.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * A calibration profile file: the device it was measured on, the backend that ran the kernels and
 * its number format, the fitted model, how well it fits, and the raw measurements (so a profile
 * can be refitted or audited).
 */
public record CalibrationProfile(@JsonProperty(required = true) String device,
                                 @JsonProperty(required = true) String backend,
                                 String dtype,
                                 @JsonProperty(required = true) GemmEfficiencyModel gemm,
                                 FitQuality fit,
                                 List<Measurement> measurements) {
    public CalibrationProfile {
        Require.text(device, "device");
        Require.text(backend, "backend");
        Require.present(gemm, "gemm");
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }
}
