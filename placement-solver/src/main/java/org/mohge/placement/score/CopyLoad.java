package org.mohge.placement.score;

import org.mohge.placement.domain.Gpu;

/** What one held copy adds to its GPU, given how many copies its expert has. */
public record CopyLoad(Gpu gpu, long timeUnits, long memoryMiB) {
}
