package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.DType;

/** A resolved precision recipe: one dtype per class of tensor (see {@link PrecisionSpec}). */
public record Precision(PrecisionRecipe recipe, DType gemm, DType attention, DType dispatch, DType combine,
                        DType params, DType grads, DType optimizerState) {
    /** FP8 values travel with one fp32 scale per 128 elements (DeepEP's dispatch format). */
    private static final int FP8_SCALE_BLOCK = 128;
    /** Adam keeps an fp32 master copy besides m and v. */
    private static final int MASTER_WEIGHT_BYTES = 4;

    /** Bytes of one token's hidden state of width {@code hidden} on the wire in {@code dtype}. */
    public static double wireBytes(int hidden, DType dtype) {
        double bytes = (double) hidden * dtype.bytes();
        return dtype == DType.FP8 ? bytes + Math.ceil(hidden / (double) FP8_SCALE_BLOCK) * 4 : bytes;
    }

    /** Optimizer state bytes per weight: fp32 master copy plus m and v in {@code optimizerState}. */
    public double optimizerBytesPerParam() {
        return MASTER_WEIGHT_BYTES + 2.0 * optimizerState.bytes();
    }
}
