package org.mohge.gpu.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One calibration measurement: which device, backend and kernel, the shape it ran (named
 * dimensions, in a stable order), the numeric format, how many timed repeats, and the median and
 * minimum wall time. {@code flops} is the useful floating-point work of one repeat (0 for
 * memory-bound stages). Kernels: {@code gemm_fp32_own}, {@code gemm_fp32_ejml} (one GEMM
 * {@code m x n x k}), {@code expert_ffn} (one expert FFN per expert, {@code tokensPerExpert} tokens
 * each), {@code layer_forward} and its stages {@code layer_router}, {@code layer_permutation},
 * {@code layer_experts}, {@code layer_shared}, {@code layer_combine}.
 */
@JsonPropertyOrder({"device", "backend", "kernel", "dtype", "shape", "repeats", "medianUs", "minUs", "flops", "gflops"})
public record Measurement(String device, String backend, String kernel, String dtype, Map<String, Integer> shape,
                          int repeats, double medianUs, double minUs, double flops) {

    public Measurement {
        shape = Collections.unmodifiableMap(new LinkedHashMap<>(shape));
    }

    /** Throughput at the median time, in GFLOP/s (0 when {@code flops} is 0). */
    @JsonProperty("gflops")
    public double gflops() {
        return medianUs > 0 ? flops / medianUs / 1e3 : 0;
    }

    /** Shape map builder: {@code shape("m", 128, "n", 512)} keeps the order given. */
    public static Map<String, Integer> shape(Object... nameValue) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Integer) nameValue[i + 1]);
        }
        return m;
    }
}
