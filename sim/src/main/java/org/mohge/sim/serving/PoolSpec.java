package org.mohge.sim.serving;

import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.Require;

/**
 * {@code replicas} identical model instances, each on {@code tp x dp} GPUs: attention is tensor
 * parallel over {@code tp} GPUs and data parallel over {@code dp} groups (each with its own
 * requests and KV cache), and the routed experts are expert parallel over all {@code tp x dp}
 * GPUs ({@code ep}, default and only supported value {@code tp x dp}). {@code gpu} (a catalog
 * name; default the cluster's) puts a disaggregated pool on another GPU kind, priced and sized
 * with that GPU (its GPUs are not counted against the cluster's).
 */
public record PoolSpec(Integer replicas, Integer tp, Integer dp, Integer ep, String gpu) {
    public PoolSpec {
        replicas = replicas == null ? 1 : replicas;
        Require.positive(replicas, "replicas");
        tp = tp == null ? 1 : tp;
        Require.positive(tp, "tp");
        dp = dp == null ? 1 : dp;
        Require.positive(dp, "dp");
        ep = ep == null ? tp * dp : ep;
        Require.check(ep == tp * dp, "ep", "must equal tp x dp (" + tp * dp + "), got " + ep);
        if (gpu != null) {
            Require.check(GpuCatalog.find(gpu).isPresent(), "gpu",
                    "names no known GPU (known: " + String.join(", ", GpuCatalog.names()) + ")");
            gpu = GpuCatalog.get(gpu).name();
        }
    }

    /** A pool on the cluster's GPU kind. */
    public PoolSpec(Integer replicas, Integer tp, Integer dp, Integer ep) {
        this(replicas, tp, dp, ep, null);
    }

    public static PoolSpec single() {
        return new PoolSpec(1, 1, 1, null);
    }

    public int gpusPerReplica() {
        return tp * dp;
    }

    public int gpus() {
        return replicas * tp * dp;
    }
}
