package org.mohge.cli.plan;

/**
 * What evaluating one point found; one line of the resume file. {@code status} is {@code ok},
 * {@code does-not-fit} (some GPU's memory is over capacity: no times are made up, the simulation
 * figures are null) or {@code invalid} (the axes' values do not make a valid scenario, e.g. more
 * top groups than groups; {@code reason} says why). Target- and price-independent, so the
 * resume file stays valid when only the target or the prices change.
 */
public record PointMetrics(String status, String reason, SweepPoint point, Long totalParams, Double activatedParams,
                           Double expertSizeRatio, Double peakMemoryGiB, Double memoryHeadroomPct,
                           Double stepTimeMs, Double tokensPerSecond, Double imbalance) {

    public static final String OK = "ok";
    public static final String DOES_NOT_FIT = "does-not-fit";
    public static final String INVALID = "invalid";

    public boolean ok() {
        return OK.equals(status);
    }
}
