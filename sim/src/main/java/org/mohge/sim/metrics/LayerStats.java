package org.mohge.sim.metrics;

/**
 * One MoE layer (model layer {@code layer}, MoE layer {@code moeLayer}) summed over a step's
 * micro-batches: forward expert compute time and tokens received per GPU, as max over mean
 * ({@code expertImbalance}, {@code tokenImbalance}; 1 = balanced), and all-to-all bytes (forward
 * and backward) inside nodes and across nodes.
 */
public record LayerStats(int layer, int moeLayer, double expertImbalance, double tokenImbalance,
                         double maxExpertTimeUs, double meanExpertTimeUs, double maxTokensReceived,
                         double meanTokensReceived, double intraNodeBytes, double interNodeBytes) {
}
