package org.mohge.costmodel.cost;

import org.mohge.costmodel.spec.Require;

/**
 * Knobs of the uncalibrated analytical model, with defaults from public measurements:
 * <ul>
 *   <li>{@code tensorEfficiency}: share of the dense tensor peak a well-tuned GEMM sustains on
 *       a full wave of large tiles (cuBLAS/CUTLASS reach about 70-80% on H100 bf16);</li>
 *   <li>{@code kHalfEfficiency}: reduction width at which a tile's main loop is half prologue
 *       and epilogue; efficiency scales with {@code k / (k + kHalf)};</li>
 *   <li>{@code memoryEfficiency}: share of the HBM peak a streaming kernel reaches (about 85-90%);</li>
 *   <li>{@code launchOverheadUs}: fixed cost of one kernel launch and its tail;</li>
 *   <li>{@code messageOverheadUs}: issue cost of each point-to-point message of an all-to-all.</li>
 * </ul>
 */
public record AnalyticalParams(double tensorEfficiency, double kHalfEfficiency, double memoryEfficiency,
                               double launchOverheadUs, double messageOverheadUs) {

    public static final AnalyticalParams DEFAULTS = new AnalyticalParams(0.75, 64, 0.85, 4.0, 0.2);

    public AnalyticalParams {
        Require.inRange(tensorEfficiency, 0.01, 1.0, "tensorEfficiency");
        Require.nonNegative(kHalfEfficiency, "kHalfEfficiency");
        Require.inRange(memoryEfficiency, 0.01, 1.0, "memoryEfficiency");
        Require.nonNegative(launchOverheadUs, "launchOverheadUs");
        Require.nonNegative(messageOverheadUs, "messageOverheadUs");
    }
}
