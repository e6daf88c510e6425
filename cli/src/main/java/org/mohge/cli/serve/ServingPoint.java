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
                           int prefillDp, int decodeReplicas, int decodeTp, int decodeDp) {

    static ServingPoint unified(String id, String gpu, int replicas, int tp, int dp) {
        return new ServingPoint(id, gpu, replicas, tp, dp, 0, 0, 0, 0, 0, 0);
    }

    static ServingPoint disaggregated(String id, String gpu, int prefillReplicas, ServingPlanSpec.Layout prefill,
                                      int decodeReplicas, ServingPlanSpec.Layout decode) {
        return new ServingPoint(id, gpu, 0, 0, 0, prefillReplicas, prefill.tp(), prefill.dp(), decodeReplicas,
                decode.tp(), decode.dp());
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
        return isDisaggregated() ? new DisaggregationSpec(new PoolSpec(prefillReplicas, prefillTp, prefillDp, null),
                new PoolSpec(decodeReplicas, decodeTp, decodeDp, null), base == null ? null : base.transferGBps(),
                base == null ? null : base.transferLatencyUs()) : null;
    }

    @JsonIgnore
    public int gpus() {
        return isDisaggregated() ? prefillReplicas * prefillTp * prefillDp + decodeReplicas * decodeTp * decodeDp
                : replicas * tp * dp;
    }

    /** {@code 4 x (tp 1 x dp 1) h100-sxm}, {@code P1:D2 x (tp 1 x dp 1) ...} or {@code P1 x (tp 2 x dp 1) : D2 x (...) ...}. */
    @JsonIgnore
    public String label() {
        if (!isDisaggregated()) {
            return replicas + " x " + layout(tp, dp) + " " + gpu;
        }
        if (prefillTp == decodeTp && prefillDp == decodeDp) {
            return "P" + prefillReplicas + ":D" + decodeReplicas + " x " + layout(prefillTp, prefillDp) + " " + gpu;
        }
        return "P" + prefillReplicas + " x " + layout(prefillTp, prefillDp) + " : D" + decodeReplicas + " x "
                + layout(decodeTp, decodeDp) + " " + gpu;
    }

    private static String layout(int tp, int dp) {
        return "(tp " + tp + " x dp " + dp + ")";
    }
}
