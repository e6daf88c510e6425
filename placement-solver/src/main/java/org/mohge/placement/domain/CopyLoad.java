package org.mohge.placement.domain;

/**
 * What one held copy adds to its GPU, given that its expert has {@code copies} copies: linearised
 * expert time, all-to-all time of its tokens and memory, in solver units.
 */
public record CopyLoad(Gpu gpu, ExpertInfo expert, int copies, long timeUnits, long commUnits, long memoryMiB) {
}
