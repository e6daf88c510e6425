package org.mohge.sim.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * Sizes and prices a serving deployment of a model on a cluster's GPUs: KV pages per replica from
 * the memory left after weights, the iteration pricer per pool, and the KV transfer link.
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
        int split = model.attention() instanceof GqaAttention gqa ? Math.min(tp, gqa.kvHeads()) : 1;
        return (double) model.layers() * model.attention().kvCacheBytesPerToken(model.bytesPerValue()) / split;
    }

    /** KV bytes of one token over all layers (what a prefill replica ships per prompt token). */
    public static double kvBytesPerToken(ModelSpec model) {
        return (double) model.layers() * model.attention().kvCacheBytesPerToken(model.bytesPerValue());
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
        double hbm = cluster.gpu().hbmBytes() * kv.memoryUtilization() - kv.reservedGiB() * (1L << 30);
        double weights = weightBytesPerGpu(model, pool);
        double free = hbm - weights;
        double perBlock = kvBytesPerTokenPerGpu(model, pool.tp()) * kv.blockTokens();
        long blocks = (long) Math.floor(free / perBlock);
        if (blocks < 1) {
            throw new SpecViolation(field, String.format(java.util.Locale.ROOT,
                    "leaves no room for the KV cache: weights take %.1f GiB per GPU of the %.1f GiB usable on %s",
                    weights / (1L << 30), hbm / (1L << 30), cluster.gpu().name()));
        }
        return (int) Math.min(Integer.MAX_VALUE / pool.dp(), blocks) * pool.dp();
    }

    /** The pools of a spec, priced with {@link LayerOpsPricer}; {@code inclusion} per MoE layer. */
    public static List<PoolSetup> pools(ServingSpec spec, ModelSpec model, CostModel costModel, double[][] inclusion,
                                        long seed) {
        ClusterSpec cluster = costModel.cluster();
        if (spec.gpus() > cluster.gpuCount()) {
            throw new SpecViolation("serving", "needs " + spec.gpus() + " GPUs, the cluster has "
                    + cluster.gpuCount());
        }
        List<PoolSetup> pools = new ArrayList<>();
        if (spec.disaggregated()) {
            pools.add(pool(PoolRole.PREFILL, spec.disaggregation().prefill(), spec, model, costModel, inclusion, seed,
                    "serving.disaggregation.prefill"));
            pools.add(pool(PoolRole.DECODE, spec.disaggregation().decode(), spec, model, costModel, inclusion, seed,
                    "serving.disaggregation.decode"));
        } else {
            pools.add(pool(PoolRole.UNIFIED, spec.deployment(), spec, model, costModel, inclusion, seed,
                    "serving.deployment"));
        }
        return pools;
    }

    private static PoolSetup pool(PoolRole role, PoolSpec pool, ServingSpec spec, ModelSpec model, CostModel costModel,
                                  double[][] inclusion, long seed, String field) {
        if (pool.gpusPerReplica() > costModel.cluster().gpuCount()) {
            throw new SpecViolation(field, "needs " + pool.gpusPerReplica() + " GPUs per replica, the cluster has "
                    + costModel.cluster().gpuCount());
        }
        int blocks = kvBlocksPerReplica(model, costModel.cluster(), pool, spec.kvCache(), field);
        return new PoolSetup(role, pool, blocks, new LayerOpsPricer(model, costModel, pool, inclusion, seed));
    }

    /** A simulator for the spec on this model and cluster. */
    public static ServingSimulator simulator(ServingSpec spec, ModelSpec model, CostModel costModel,
                                             double[][] inclusion, long seed) {
        List<PoolSetup> pools = pools(spec, model, costModel, inclusion, seed);
        double gbps = costModel.cluster().nicGBps();
        double latencyUs = costModel.cluster().nicLatencyUs();
        if (spec.disaggregated()) {
            DisaggregationSpec d = spec.disaggregation();
            gbps = d.transferGBps() != null ? d.transferGBps() : gbps;
            latencyUs = d.transferLatencyUs() != null ? d.transferLatencyUs() : latencyUs;
        }
        return new ServingSimulator(spec, pools, kvBytesPerToken(model), gbps, latencyUs);
    }

    /** Runs the spec; a trace path is resolved against {@code baseDir}. */
    public static ServingResult run(ServingSpec spec, ModelSpec model, CostModel costModel, double[][] inclusion,
                                    long seed, Path baseDir, IterationListener listener) {
        ServingSimulator sim = simulator(spec, model, costModel, inclusion, seed);
        if (listener != null) {
            sim.withListener(listener);
        }
        return sim.run(ArrivalSource.of(spec, seed, baseDir));
    }
}
