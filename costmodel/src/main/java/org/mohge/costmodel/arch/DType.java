package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Numeric format of weights and activations; sets bytes per value and which peak applies. */
public enum DType {
    @JsonProperty("fp32") FP32(4),
    @JsonProperty("bf16") BF16(2),
    @JsonProperty("fp16") FP16(2),
    @JsonProperty("fp8") FP8(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format named {@code label} ({@code fp32}, {@code bf16}, ...); unknown names are bf16, the tool's default. */
    public static DType fromLabel(String label) {
        for (DType d : values()) {
            if (d.label().equals(label)) {
                return d;
            }
        }
        return BF16;
    }
}
