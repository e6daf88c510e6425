package org.mohge.sim.serving;

import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.spec.Require;

/**
 * The paged KV cache: pages of {@code blockTokens} tokens (default 16) in the memory a GPU has
 * left after weights, counting only {@code memoryUtilization} (default 0.9) of its HBM, less
 * {@code reservedGiB} (default 2) per GPU for activations and the runtime. {@code blocks}, when
 * given, fixes the blocks per attention rank instead (for experiments and tests). {@code dtype}
 * (default: the model's) is the format of cached K and V values: {@code fp8} halves a bf16
 * model's KV bytes, so twice the tokens fit, decode reads half the bytes and a prefill ships half.
 */
public record KvCacheSpec(Integer blockTokens, Double memoryUtilization, Double reservedGiB, Integer blocks,
                          DType dtype) {
    public KvCacheSpec {
        blockTokens = blockTokens == null ? 16 : blockTokens;
        Require.positive(blockTokens, "blockTokens");
        memoryUtilization = memoryUtilization == null ? 0.9 : memoryUtilization;
        Require.inRange(memoryUtilization, 0.01, 1.0, "memoryUtilization");
        reservedGiB = reservedGiB == null ? 2.0 : reservedGiB;
        Require.nonNegative(reservedGiB, "reservedGiB");
        if (blocks != null) {
            Require.positive(blocks, "blocks");
        }
    }

    public KvCacheSpec(Integer blockTokens, Double memoryUtilization, Double reservedGiB, Integer blocks) {
        this(blockTokens, memoryUtilization, reservedGiB, blocks, null);
    }

    public static KvCacheSpec defaults() {
        return new KvCacheSpec(null, null, null, null, null);
    }

    /** Bytes of one cached value for {@code model}: this dtype's, else the model's. */
    public int bytesPerValue(ModelSpec model) {
        return dtype == null ? model.bytesPerValue() : dtype.bytes();
    }
}
