package org.mohge.costmodel.parallel;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.arch.DType;

/**
 * Named mixed-precision recipes, as Transformer Engine / Megatron name them. Every recipe keeps
 * bf16 weights, fp32 main gradients and fp32 Adam state (master copy, m and v); the FP8 recipes
 * run the linear layers' GEMMs and the MoE dispatch in fp8, attention and the combine in bf16.
 * They differ in scaling granularity (per tensor, 128-blocks, 32-element MX blocks), which this
 * model prices alike.
 */
public enum PrecisionRecipe {
    @JsonProperty("bf16") BF16("bf16", DType.BF16, DType.BF16),
    @JsonProperty("fp8-tensorwise") FP8_TENSORWISE("fp8-tensorwise", DType.FP8, DType.FP8),
    @JsonProperty("fp8-blockwise") FP8_BLOCKWISE("fp8-blockwise", DType.FP8, DType.FP8),
    @JsonProperty("mxfp8") MXFP8("mxfp8", DType.FP8, DType.FP8);

    private final String label;
    private final DType gemm;
    private final DType dispatch;

    PrecisionRecipe(String label, DType gemm, DType dispatch) {
        this.label = label;
        this.gemm = gemm;
        this.dispatch = dispatch;
    }

    public String label() {
        return label;
    }

    DType gemm() {
        return gemm;
    }

    DType dispatch() {
        return dispatch;
    }
}
