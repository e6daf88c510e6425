package org.mohge.placement.domain;

import java.util.List;

/** A GPU's expert time, in solver time units, from the copies it holds. */
@FunctionalInterface
public interface GpuTimeFunction {

    long timeUnits(List<CopyLoad> copies);

    /** The sum of the copies' linearised times: no wave quantization, no fixed part. */
    GpuTimeFunction LINEAR = copies -> {
        long sum = 0;
        for (CopyLoad c : copies) {
            sum += c.timeUnits();
        }
        return sum;
    };
}
