package org.mohge.sim.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.hardware.GpuSpec;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * Sizes and prices a serving deployment of a model on a cluster's GPUs: KV pages per replica from
 * the memory left after weights (in the KV cache's dtype), the iteration pricer per pool, and the
 * KV transfer link between the prefill and decode pools.
 */
public final class ServingDeployment {
    private ServingDeployment() {
    }

    /**
     * Weight bytes on each GPU of a replica: every non-expert weight split over the tp GPUs of an
     * attention rank (replicated over dp), every routed expert once over the ep GPUs.
     */
    public static double weightBytesPerGpu(ModelSpec model, PoolSpec pool) {
        int d = model.hiddenSize();
        double experts = model.isDense() ? 0 : (double) model.moeLayers() * model.moe().routedExpertParams(d);
        double replicated = ParamAccounting.count(model).totalParams() - experts;
        return (replicated / pool.tp() + experts / pool.ep()) * model.bytesPerValue();
    }

    /** KV bytes one token takes on one GPU of an attention rank, over all layers (GQA heads split over tp, MLA's latent not). */
    public static double kvBytesPerTokenPerGpu(ModelSpec model, int tp) {
        return kvBytesPerTokenPerGpu(model, tp, model.bytesPerValue());
    }

    /** The same with {@code kvBytesPerValue}-byte cached values. */
    public static double kvBytesPerTokenPerGpu(ModelSpec model, int tp, int kvBytesPerValue) {
        int split = model.attention() instanceof GqaAttention gqa ? Math.min(tp, gqa.kvHeads()) : 1;
        return kvBytesPerToken(model, kvBytesPerValue) / split;
    }

    /** KV bytes of one token over all layers (what a prefill replica ships per prompt token). */
    public static double kvBytesPerToken(ModelSpec model) {
        return kvBytesPerToken(model, model.bytesPerValue());
    }

    /** The same with {@code kvBytesPerValue}-byte cached values. */
    public static double kvBytesPerToken(ModelSpec model, int kvBytesPerValue) {
        return (double) model.layers() * model.attention().kvCacheBytesPerToken(kvBytesPerValue);
    }

    /**
     * KV pages of one replica: per GPU, {@code memoryUtilization} of its HBM less the reserve and
     * the weights, divided by a token's KV bytes there and the page size, times the dp attention
     * ranks (their caches are separate; the engine pools them). {@code kvCache.blocks} overrides
     * the per-rank figure.
     */
    public static int kvBlocksPerReplica(ModelSpec model, ClusterSpec cluster, PoolSpec pool, KvCacheSpec kv,
                                         String field) {
        if (kv.blocks() != null) {
            return kv.blocks() * pool.dp();
        }
        double budget = cluster.gpu().hbmBytes() * kv.memoryUtilization();
        if (kv.reservedGiB() * (1L << 30) >= budget) {
            throw new SpecViolation("serving.kvCache.reservedGiB", String.format(java.util.Locale.ROOT,
                    "(%.1f) must be below the %.1f GiB that memoryUtilization leaves on %s", kv.reservedGiB(),
                    budget / (1L << 30), cluster.gpu().name()));
        }
        double hbm = budget - kv.reservedGiB() * (1L << 30);
        double weights = weightBytesPerGpu(model, pool);
        double free = hbm - weights;
        double perBlock = kvBytesPerTokenPerGpu(model, pool.tp(), kv.bytesPerValue(model)) * kv.blockTokens();
        long blocks = (long) Math.floor(free / perBlock);
        if (blocks < 1) {
            throw new SpecViolation(field, String.format(java.util.Locale.ROOT,
                    "leaves no room for the KV cache: weights take %.1f GiB per GPU of the %.1f GiB usable on %s",
                    weights / (1L << 30), hbm / (1L << 30), cluster.gpu().name()));
        }
        return (int) Math.min(Integer.MAX_VALUE / pool.dp(), blocks) * pool.dp();
    }

    /**
     * The cost model of a pool on {@code gpu} instead of the cluster's kind: the analytical roofline
     * on that GPU with the cluster's node shape (the CLI passes the calibrated one where it has it).
     */
    public static CostModel analyticalOn(GpuSpec gpu, ClusterSpec cluster) {
        return new AnalyticalCostModel(onGpu(gpu, cluster));
    }

    /** The cluster's node shape with {@code gpu} and that GPU's own links. */
    public static ClusterSpec onGpu(GpuSpec gpu, ClusterSpec cluster) {
        return new ClusterSpec(gpu, cluster.nodes(), cluster.gpusPerNode(), null, null, cluster.nvlinkLatencyUs(),
                cluster.nicLatencyUs());
    }

    /**
     * The pools of a spec, priced with {@link LayerOpsPricer}; {@code inclusion} per MoE layer. A pool
     * on another GPU kind is sized and priced with {@code costModelOn}'s model for that GPU and
     * its GPUs are not counted against the cluster's.
     */
    public static List<PoolSetup> pools(ServingSpec spec, ModelSpec model, CostModel costModel, double[][] inclusion,
                                        long seed, Function<GpuSpec, CostModel> costModelOn) {
        ClusterSpec cluster = costModel.cluster();
        List<PoolSpec> specs = spec.disaggregated()
                ? List.of(spec.disaggregation().prefill(), spec.disaggregation().decode()) : List.of(spec.deployment());
        int onCluster = 0;
        for (PoolSpec p : specs) {
            onCluster += onClusterGpu(p, cluster) ? p.gpus() : 0;
        }
        if (onCluster > cluster.gpuCount()) {
            throw new SpecViolation("serving", "needs " + onCluster + " " + cluster.gpu().name()
                    + " GPUs, the cluster has " + cluster.gpuCount());
        }
        List<PoolSetup> pools = new ArrayList<>();
        if (spec.disaggregated()) {
            pools.add(pool(PoolRole.PREFILL, specs.get(0), spec, model, costModel, inclusion, seed,
                    "serving.disaggregation.prefill", costModelOn));
            pools.add(pool(PoolRole.DECODE, specs.get(1), spec, model, costModel, inclusion, seed,
                    "serving.disaggregation.decode", costModelOn));
        } else {
            pools.add(pool(PoolRole.UNIFIED, specs.get(0), spec, model, costModel, inclusion, seed,
                    "serving.deployment", costModelOn));
        }
        return pools;
    }

    private static boolean onClusterGpu(PoolSpec pool, ClusterSpec cluster) {
        return pool.gpu() == null || pool.gpu().equals(cluster.gpu().name());
    }

    private static PoolSetup pool(PoolRole role, PoolSpec pool, ServingSpec spec, ModelSpec model, CostModel costModel,
                                  double[][] inclusion, long seed, String field,
                                  Function<GpuSpec, CostModel> costModelOn) {
        CostModel prices = onClusterGpu(pool, costModel.cluster()) ? costModel
                : costModelOn.apply(GpuCatalog.get(pool.gpu()));
        if (onClusterGpu(pool, costModel.cluster()) && pool.gpusPerReplica() > costModel.cluster().gpuCount()) {
            throw new SpecViolation(field, "needs " + pool.gpusPerReplica() + " GPUs per replica, the cluster has "
                    + costModel.cluster().gpuCount());
        }
        requireEvenSplit(model, pool, field);
        int blocks = kvBlocksPerReplica(model, prices.cluster(), pool, spec.kvCache(), field);
        PoolSpec named = new PoolSpec(pool.replicas(), pool.tp(), pool.dp(), pool.ep(), prices.cluster().gpu().name());
        return new PoolSetup(role, named, blocks, new LayerOpsPricer(model, prices, pool, inclusion, seed,
                spec.kvCache().bytesPerValue(model), spec.dualBatchOverlap()));
    }

    /**
     * The replica's split must be even, as the training layout's is: tp divides the attention heads
     * (and the KV heads, or is a multiple of them, which are then copied), ep divides the routed experts.
     */
    private static void requireEvenSplit(ModelSpec model, PoolSpec pool, String field) {
        int heads = model.attention().heads();
        if (heads % pool.tp() != 0) {
            throw new SpecViolation(field + ".tp", "must divide model.attention.heads (" + heads + "), got " + pool.tp());
        }
        if (model.attention() instanceof GqaAttention gqa && gqa.kvHeads() % pool.tp() != 0
                && pool.tp() % gqa.kvHeads() != 0) {
            throw new SpecViolation(field + ".tp", "must divide model.attention.kvHeads (" + gqa.kvHeads()
                    + ") or be a multiple of it, got " + pool.tp());
        }
        if (!model.isDense() && model.moe().expertCount() % pool.ep() != 0) {
            throw new SpecViolation(field + ".ep", "= tp x dp = " + pool.ep() + " must divide the "
                    + model.moe().expertCount() + " routed experts");
        }
    }

    /** A simulator for the spec on this model and cluster; pools on other GPU kinds priced by {@code costModelOn}. */
    public static ServingSimulator simulator(ServingSpec spec, ModelSpec model, CostModel costModel,
                                             double[][] inclusion, long seed,
                                             Function<GpuSpec, CostModel> costModelOn) {
        List<PoolSetup> pools = pools(spec, model, costModel, inclusion, seed, costModelOn);
        if (!spec.disaggregated()) {
            return new ServingSimulator(spec, pools, KvTransferLink.NONE);
        }
        DisaggregationSpec d = spec.disaggregation();
        // one NIC per GPU on each side: the slower side's bandwidth, the longer latency
        ClusterSpec prefill = clusterOf(pools.get(0), costModel);
        ClusterSpec decode = clusterOf(pools.get(1), costModel);
        double gbps = d.transferGBps() != null ? d.transferGBps() : Math.min(prefill.nicGBps(), decode.nicGBps());
        double latencyUs = d.transferLatencyUs() != null ? d.transferLatencyUs()
                : Math.max(prefill.nicLatencyUs(), decode.nicLatencyUs());
        return new ServingSimulator(spec, pools, KvTransferLink.between(model, spec.kvCache().bytesPerValue(model),
                d.prefill(), d.decode(), gbps, latencyUs));
    }

    private static ClusterSpec clusterOf(PoolSetup pool, CostModel costModel) {
        return pool.pool().gpu().equals(costModel.cluster().gpu().name()) ? costModel.cluster()
                : onGpu(GpuCatalog.get(pool.pool().gpu()), costModel.cluster());
    }

    /** {@link #simulator} with the analytical roofline for pools on other GPU kinds. */
    public static ServingSimulator simulator(ServingSpec spec, ModelSpec model, CostModel costModel,
                                             double[][] inclusion, long seed) {
        return simulator(spec, model, costModel, inclusion, seed, gpu -> analyticalOn(gpu, costModel.cluster()));
    }

    /** Runs the spec; a trace path is resolved against {@code baseDir}. */
    public static ServingResult run(ServingSpec spec, ModelSpec model, CostModel costModel, double[][] inclusion,
                                    long seed, Path baseDir, IterationListener listener,
                                    Function<GpuSpec, CostModel> costModelOn) {
        ServingSimulator sim = simulator(spec, model, costModel, inclusion, seed, costModelOn);
        if (listener != null) {
            sim.withListener(listener);
        }
        return sim.run(ArrivalSource.of(spec, seed, baseDir));
    }

    /** {@link #run} with the analytical roofline for pools on other GPU kinds. */
    public static ServingResult run(ServingSpec spec, ModelSpec model, CostModel costModel, double[][] inclusion,
                                    long seed, Path baseDir, IterationListener listener) {
        return run(spec, model, costModel, inclusion, seed, baseDir, listener,
                gpu -> analyticalOn(gpu, costModel.cluster()));
    }
}
