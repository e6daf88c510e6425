package org.mohge.cli.serve;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.mohge.sim.serving.DisaggregationSpec;
import org.mohge.sim.serving.PoolSpec;

/**
 * One deployment of a serving plan, every value resolved: a unified deployment ({@code replicas}
 * replicas of {@code tp x dp} GPUs; the prefill and decode fields 0) or a disaggregated one
 * ({@code replicas}, {@code tp} and {@code dp} 0; a prefill pool and a decode pool, each with its
 * own replica count and layout). Plain data, so it travels as JSON (to a Spark task, into the
 * resume file).
 */
public record ServingPoint(String id, String gpu, int replicas, int tp, int dp, int prefillReplicas, int prefillTp,
                           int prefillDp, String prefillGpu, int decodeReplicas, int decodeTp, int decodeDp,
                           String decodeGpu) {

    static ServingPoint unified(String id, String gpu, int replicas, int tp, int dp) {
        return new ServingPoint(id, gpu, replicas, tp, dp, 0, 0, 0, null, 0, 0, 0, null);
    }

    /** A pool layout's GPU kind is kept only where it differs from the point's {@code gpu}. */
    static ServingPoint disaggregated(String id, String gpu, int prefillReplicas, ServingPlanSpec.Layout prefill,
                                      int decodeReplicas, ServingPlanSpec.Layout decode) {
        return new ServingPoint(id, gpu, 0, 0, 0, prefillReplicas, prefill.tp(), prefill.dp(), other(prefill, gpu),
                decodeReplicas, decode.tp(), decode.dp(), other(decode, gpu));
    }

    private static String other(ServingPlanSpec.Layout layout, String gpu) {
        return layout.gpu() == null || layout.gpu().equals(gpu) ? null : layout.gpu();
    }

    /** GPU-hours per hour by GPU kind: what the point costs at {@code pricePerGpuHour}. */
    double costPerHour(java.util.Map<String, Double> pricePerGpuHour) {
        if (!isDisaggregated()) {
            return gpus() * pricePerGpuHour.get(gpu);
        }
        return prefillReplicas * prefillTp * prefillDp * pricePerGpuHour.get(prefillGpu == null ? gpu : prefillGpu)
                + decodeReplicas * decodeTp * decodeDp * pricePerGpuHour.get(decodeGpu == null ? gpu : decodeGpu);
    }

    /** GPUs of the point's own kind (the cluster the point is simulated on). */
    @JsonIgnore
    int gpusOfPointKind() {
        if (!isDisaggregated()) {
            return gpus();
        }
        return (prefillGpu == null ? prefillReplicas * prefillTp * prefillDp : 0)
                + (decodeGpu == null ? decodeReplicas * decodeTp * decodeDp : 0);
    }

    @JsonIgnore
    public boolean isDisaggregated() {
        return replicas == 0;
    }

    /** The unified pool, or null for a disaggregated point. */
    PoolSpec pool() {
        return isDisaggregated() ? null : new PoolSpec(replicas, tp, dp, null);
    }

    /** The two pools with the base's KV transfer link, or null for a unified point. */
    DisaggregationSpec disaggregation(DisaggregationSpec base) {
        return isDisaggregated() ? new DisaggregationSpec(new PoolSpec(prefillReplicas, prefillTp, prefillDp, null,
                prefillGpu), new PoolSpec(decodeReplicas, decodeTp, decodeDp, null, decodeGpu),
                base == null ? null : base.transferGBps(),
                base == null ? null : base.transferLatencyUs()) : null;
    }

    @JsonIgnore
    public int gpus() {
        return isDisaggregated() ? prefillReplicas * prefillTp * prefillDp + decodeReplicas * decodeTp * decodeDp
                : replicas * tp * dp;
    }

    /**
     * {@code 4 x (tp 1 x dp 1) h100-sxm}, {@code P1:D2 x (tp 1 x dp 1) ...} or
     * {@code P1 x (tp 2 x dp 1) : D2 x (...) ...}, a pool on another GPU kind naming it after its layout.
     */
    @JsonIgnore
    public String label() {
        if (!isDisaggregated()) {
            return replicas + " x " + layout(tp, dp) + " " + gpu;
        }
        if (prefillTp == decodeTp && prefillDp == decodeDp && prefillGpu == null && decodeGpu == null) {
            return "P" + prefillReplicas + ":D" + decodeReplicas + " x " + layout(prefillTp, prefillDp) + " " + gpu;
        }
        return "P" + prefillReplicas + " x " + layout(prefillTp, prefillDp) + kind(prefillGpu) + " : D"
                + decodeReplicas + " x " + layout(decodeTp, decodeDp) + kind(decodeGpu) + " " + gpu;
    }

    private static String kind(String poolGpu) {
        return poolGpu == null ? "" : " " + poolGpu;
    }

    private static String layout(int tp, int dp) {
        return "(tp " + tp + " x dp " + dp + ")";
    }
}
