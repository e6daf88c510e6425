package org.mohge.costmodel.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * One timed kernel: {@code kernel} ({@code gemm}, {@code expert-ffn}, ...) of shape m x n x k in
 * {@code dtype} on {@code device}, repeated {@code repeats} times; median and fastest time.
 * For a grouped kernel, m is the tokens of one expert and {@code groups} the experts in the launch.
 */
public record Measurement(@JsonProperty(required = true) String device,
                          @JsonProperty(required = true) String kernel,
                          @JsonProperty(required = true) long m,
                          @JsonProperty(required = true) long n,
                          @JsonProperty(required = true) long k,
                          int groups,
                          String dtype,
                          int repeats,
                          @JsonProperty(required = true) double medianUs,
                          double minUs) {
    public Measurement {
        Require.text(device, "device");
        Require.text(kernel, "kernel");
        Require.check(m > 0, "m", "must be > 0, got " + m);
        Require.check(n > 0, "n", "must be > 0, got " + n);
        Require.check(k > 0, "k", "must be > 0, got " + k);
        groups = groups == 0 ? 1 : groups;
        Require.positive(groups, "groups");
        Require.positive(medianUs, "medianUs");
    }

    /** FLOPs of the whole launch. */
    public double flops() {
        return 2.0 * m * n * k * groups;
    }
}
