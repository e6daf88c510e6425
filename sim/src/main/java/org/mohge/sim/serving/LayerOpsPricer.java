package org.mohge.sim.serving;

import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;

/**
 * Prices an iteration of a {@code tp x dp} replica (experts over all {@code tp x dp} GPUs) with the
 * training simulator's {@link LayerOps} prices, layer by layer:
 * <ul>
 *   <li>attention on each data-parallel rank's share of the tokens (ranks taken as balanced and
 *       priced once), projections and the prefill core from {@link LayerOps#attention}, decode's
 *       KV read from {@link LayerOps#kvCacheRead}; tensor parallel divides both by {@code tp}
 *       (the KV read by the KV heads a rank holds; MLA's latent is not split) and adds a ring
 *       all-reduce of the hidden states, priced as two all-to-alls of a 1/tp share;</li>
 *   <li>MoE layers: router and shared experts per rank, permute and un-permute, dispatch and
 *       combine all-to-alls of the expected copies, and the routed experts from
 *       {@link ExpertStageTable} (distinct experts per rank drawn from the routing model, the
 *       slowest rank kept);</li>
 *   <li>dense FFN layers (every layer of a dense model, which has no MoE part) and the LM head over
 *       the rows that sample a token.</li>
 * </ul>
 * Stages run back to back, unless {@code dualBatchOverlap}: then each MoE layer's dispatch and
 * combine run while the other half of the batch computes (two micro-batches, as DeepSeek's and
 * SGLang's two-batch overlap do for DP attention with EP), so a MoE layer costs the larger of its
 * compute (attention, MoE compute, its mean share of the routed experts) and its exchange instead
 * of their sum; the halves' smaller GEMMs are not repriced. Decode's KV read moves
 * {@code kvBytesPerValue}-byte values (fp8 KV: half a bf16 model's bytes).
 */
public final class LayerOpsPricer implements IterationPricer {
    private final LayerOps ops;
    private final CostModel costModel;
    private final ModelSpec model;
    private final int tp;
    private final int dp;
    private final int ep;
    private final int kvSplit;
    private final ExpertStageTable experts;
    /** Cached KV value bytes over the model's: the share of {@link LayerOps#kvCacheRead}'s bytes actually read. */
    private final double kvReadShare;
    private final boolean dualBatchOverlap;

    /**
     * @param inclusion per MoE layer, each expert's inclusion probability (sums to the experts per token)
     */
    public LayerOpsPricer(ModelSpec model, CostModel costModel, PoolSpec pool, double[][] inclusion, long seed) {
        this(model, costModel, pool, inclusion, seed, model.bytesPerValue(), false);
    }

    /**
     * @param kvBytesPerValue bytes of one cached K or V value
     * @param dualBatchOverlap overlap each MoE layer's dispatch and combine with compute
     */
    public LayerOpsPricer(ModelSpec model, CostModel costModel, PoolSpec pool, double[][] inclusion, long seed,
                          int kvBytesPerValue, boolean dualBatchOverlap) {
        this.kvReadShare = (double) kvBytesPerValue / model.bytesPerValue();
        this.dualBatchOverlap = dualBatchOverlap;
        this.model = model;
        this.costModel = costModel;
        this.ops = new LayerOps(model, costModel);
        this.tp = pool.tp();
        this.dp = pool.dp();
        this.ep = pool.ep();
        AttentionSpec attention = model.attention();
        this.kvSplit = attention instanceof GqaAttention gqa ? Math.min(tp, gqa.kvHeads()) : 1;
        this.experts = model.isDense() ? null : new ExpertStageTable(ops, inclusion, ep, seed);
    }

    @Override
    public IterationCost price(BatchShape shape) {
        long tokens = shape.tokens();
        if (tokens == 0) {
            return new IterationCost(0, 1);
        }
        double perRank = (double) tokens / dp;
        double meanPrefillContext = shape.prefillAttendedTokens() / tokens;
        double tpAllReduceUs = allReduceUs(perRank); // after attention and after a dense FFN alike
        double attentionUs = ops.attention(perRank, meanPrefillContext).timeUs() / tp
                + ops.kvCacheRead(shape.decodeContextTokens() / dp * kvReadShare).timeUs() / kvSplit
                + tpAllReduceUs;
        double denseUs = model.denseLayers() == 0 ? 0
                : ops.denseFfn(perRank).timeUs() / tp + tpAllReduceUs;
        if (model.isDense()) {
            double lmHeadUs = ops.lmHead((double) shape.logitRows() / dp).timeUs() / tp;
            double totalUs = model.layers() * (attentionUs + denseUs) + lmHeadUs;
            return new IterationCost(Math.round(totalUs * 1e3), 1);
        }
        double copiesPerGpu = (double) tokens / ep * model.moe().routedExpertsPerToken();
        double moeComputeUs = ops.router(perRank).timeUs()
                + ops.sharedExperts(perRank).timeUs() / tp
                + ops.permute(copiesPerGpu).timeUs()
                + ops.unpermute(copiesPerGpu, (double) tokens / ep).timeUs();
        double exchangeUs = 2 * exchangeUs(copiesPerGpu);
        double[] stage = experts.at(tokens);
        double lmHeadUs = ops.lmHead((double) shape.logitRows() / dp).timeUs() / tp;
        int moeLayers = model.moeLayers();
        double totalUs;
        if (dualBatchOverlap && moeLayers > 0) {
            double computeUs = attentionUs + moeComputeUs + stage[0] / moeLayers;
            totalUs = model.denseLayers() * (attentionUs + denseUs) + moeLayers * Math.max(computeUs, exchangeUs)
                    + lmHeadUs;
        } else {
            totalUs = model.layers() * attentionUs + model.denseLayers() * denseUs
                    + moeLayers * (moeComputeUs + exchangeUs) + stage[0] + lmHeadUs;
        }
        return new IterationCost(Math.round(totalUs * 1e3), stage[1]);
    }

    /** Dispatch (or combine): each of the ep GPUs sends its copies evenly to all ranks. */
    private double exchangeUs(double copiesPerGpu) {
        if (ep == 1) {
            return 0;
        }
        double bytes = copiesPerGpu / ep * ops.tokenBytes();
        double[][] m = new double[ep][ep];
        for (int i = 0; i < ep; i++) {
            java.util.Arrays.fill(m[i], bytes);
        }
        return costModel.allToAll(m).timeUs();
    }

    /** Ring all-reduce of {@code tokens} hidden states over the tp GPUs: reduce-scatter then all-gather. */
    private double allReduceUs(double tokens) {
        if (tp == 1) {
            return 0;
        }
        double bytes = tokens * ops.tokenBytes() / tp;
        double[][] m = new double[tp][tp];
        for (int i = 0; i < tp; i++) {
            java.util.Arrays.fill(m[i], bytes);
        }
        return 2 * costModel.allToAll(m).timeUs();
    }
}
