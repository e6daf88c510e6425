package org.mohge.costmodel.cost;

import org.mohge.costmodel.spec.Require;

/**
 * The fitted knobs of {@link ProfiledCostModel}, each a share of a datasheet figure or a time:
 * <ul>
 *   <li>{@code bf16GemmEfficiency}, {@code fp8GemmEfficiency}: share of the dense tensor peak one
 *       SM sustains on a full tile of long reduction, per input dtype (fp32 runs as tf32 at the
 *       bf16 share);</li>
 *   <li>{@code smLoadGBps}: bandwidth at which one SM loads a tile's operands (from L2 or HBM):
 *       a narrow tile of {@code rows x cols} moves {@code (rows + cols) * k} values for
 *       {@code 2 * rows * cols * k} FLOPs, so small tiles are bound by it;</li>
 *   <li>{@code kHalf}: reduction width at which a bf16 tile's main loop is half prologue and
 *       epilogue (efficiency scales with {@code k / (k + kHalf)}, the small-K regime; a dtype of
 *       twice the tensor rate has twice the kHalf);</li>
 *   <li>{@code hbmEfficiency}: share of the HBM peak a kernel streams at: the floor of a
 *       weight-read-bound small-M GEMM and the time of every memory-bound kernel;</li>
 *   <li>{@code launchUs}: fixed launch and tail cost of every kernel;</li>
 *   <li>{@code perGroupUs}: setup of one GEMM of a grouped launch on an SM (operand descriptors
 *       and scheduling); the groups are spread over the SMs;</li>
 *   <li>{@code attentionForwardEfficiency}, {@code attentionBackwardEfficiency}: share of the bf16
 *       peak a FlashAttention-style kernel reaches at long context and wide heads;</li>
 *   <li>{@code attentionHeadDimHalf}, {@code attentionKeysHalf}: head width and attended keys per
 *       query at which that share halves ({@code d / (d + dHalf)}, {@code L / (L + LHalf)});</li>
 *   <li>{@code nvlinkEfficiency}, {@code nicEfficiency}: share of the per-direction link bandwidth
 *       an all-to-all or ring collective achieves over NVLink and over the NIC.</li>
 * </ul>
 */
public record KernelParams(double bf16GemmEfficiency, double fp8GemmEfficiency, double smLoadGBps, double kHalf, double hbmEfficiency,
                           double launchUs, double perGroupUs, double attentionForwardEfficiency,
                           double attentionBackwardEfficiency, double attentionHeadDimHalf, double attentionKeysHalf,
                           double nvlinkEfficiency, double nicEfficiency) {

    /** Number of parameters, in {@link #toArray()} order. */
    public static final int COUNT = 13;

    public KernelParams {
        Require.inRange(bf16GemmEfficiency, 0.01, 1.0, "bf16GemmEfficiency");
        Require.inRange(fp8GemmEfficiency, 0.01, 1.0, "fp8GemmEfficiency");
        Require.positive(smLoadGBps, "smLoadGBps");
        Require.nonNegative(kHalf, "kHalf");
        Require.inRange(hbmEfficiency, 0.01, 1.0, "hbmEfficiency");
        Require.nonNegative(launchUs, "launchUs");
        Require.nonNegative(perGroupUs, "perGroupUs");
        Require.inRange(attentionForwardEfficiency, 0.01, 1.0, "attentionForwardEfficiency");
        Require.inRange(attentionBackwardEfficiency, 0.01, 1.0, "attentionBackwardEfficiency");
        Require.nonNegative(attentionHeadDimHalf, "attentionHeadDimHalf");
        Require.nonNegative(attentionKeysHalf, "attentionKeysHalf");
        Require.inRange(nvlinkEfficiency, 0.01, 1.0, "nvlinkEfficiency");
        Require.inRange(nicEfficiency, 0.01, 1.0, "nicEfficiency");
    }

    public double[] toArray() {
        return new double[] {bf16GemmEfficiency, fp8GemmEfficiency, smLoadGBps, kHalf, hbmEfficiency, launchUs, perGroupUs,
            attentionForwardEfficiency, attentionBackwardEfficiency, attentionHeadDimHalf, attentionKeysHalf,
            nvlinkEfficiency, nicEfficiency};
    }

    public static KernelParams fromArray(double[] p) {
        return new KernelParams(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11],
                p[12]);
    }
}
