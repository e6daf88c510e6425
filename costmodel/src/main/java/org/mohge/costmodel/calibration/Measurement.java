package org.mohge.costmodel.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mohge.costmodel.spec.Require;

/**
 * One timed kernel, as the backends' microbenchmarks emit it: device, backend, kernel name, the
 * named dimensions of its shape, numeric format, timed repeats, median and fastest wall time,
 * and the useful FLOPs of one repeat. Kernels the cost model can predict are listed in
 * {@link KernelPredictor}.
 */
public record Measurement(@JsonProperty(required = true) String device,
                          String backend,
                          @JsonProperty(required = true) String kernel,
                          String dtype,
                          @JsonProperty(required = true) Map<String, Integer> shape,
                          int repeats,
                          @JsonProperty(required = true) double medianUs,
                          double minUs,
                          double flops) {
    public Measurement {
        Require.text(device, "device");
        Require.text(kernel, "kernel");
        Require.present(shape, "shape");
        shape = Collections.unmodifiableMap(new LinkedHashMap<>(shape));
        Require.positive(medianUs, "medianUs");
    }

    /** Throughput at the median time, in GFLOP/s (0 when {@code flops} is 0); derived, so not stored. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public double gflops() {
        return flops / medianUs / 1e3;
    }

    /** Shape map builder: {@code shape("m", 128, "n", 512)} keeps the order given. */
    public static Map<String, Integer> shape(Object... nameValue) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Integer) nameValue[i + 1]);
        }
        return m;
    }

    /** A named dimension of the shape, or an error naming the kernel and the missing key. */
    public int dim(String name) {
        Integer v = shape.get(name);
        if (v == null) {
            throw new IllegalArgumentException("measurement of kernel " + kernel + " has no shape." + name);
        }
        return v;
    }
}
