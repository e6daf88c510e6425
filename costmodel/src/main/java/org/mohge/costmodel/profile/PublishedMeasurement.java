package org.mohge.costmodel.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mohge.costmodel.spec.Require;

/**
 * One published figure a profile is fitted to: what was timed ({@code kind}, {@code dtype},
 * {@code shape}), on which GPU of the catalog, the figure ({@code value} in {@code unit}:
 * {@code TFLOPS}, {@code ms} or {@code GB/s}), and where it is published ({@code source}: repository
 * and file at a commit, or paper; {@code figure}: the table or figure and its row).
 */
public record PublishedMeasurement(@JsonProperty(required = true) MeasurementKind kind,
                                   @JsonProperty(required = true) String gpu,
                                   String dtype,
                                   @JsonProperty(required = true) Map<String, Integer> shape,
                                   @JsonProperty(required = true) double value,
                                   @JsonProperty(required = true) String unit,
                                   @JsonProperty(required = true) String source,
                                   @JsonProperty(required = true) String figure) {
    public static final String TFLOPS = "TFLOPS";
    public static final String MS = "ms";
    public static final String GBPS = "GB/s";

    public PublishedMeasurement {
        Require.present(kind, "kind");
        Require.text(gpu, "gpu");
        Require.present(shape, "shape");
        shape = Collections.unmodifiableMap(new LinkedHashMap<>(shape));
        Require.positive(value, "value");
        Require.check(TFLOPS.equals(unit) || MS.equals(unit) || GBPS.equals(unit), "unit",
                "must be TFLOPS, ms or GB/s, got " + unit);
        Require.text(source, "source");
        Require.text(figure, "figure");
    }

    /** A named dimension of the shape, or an error naming the figure and the missing key. */
    public int dim(String name) {
        Integer v = shape.get(name);
        if (v == null) {
            throw new IllegalArgumentException("measurement '" + figure + "' has no shape." + name);
        }
        return v;
    }
}
