package org.mohge.costmodel.parallel;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * Prices every piece of a training step on one rank of each pipeline stage: the one place where
 * the simulator's pipeline and {@code cost}'s mean-field estimate get their numbers.
 *
 * <ul>
 *   <li>Compute comes from {@link LayerOps} (GEMMs in the precision's gemm dtype, attention core and
 *       LM head in its attention dtype). Tensor parallelism splits every non-expert GEMM t ways,
 *       priced as the same GEMM over 1/t of the rank's tokens (same FLOPs); context parallelism
 *       gives a rank 1/cp of each sequence, attending to the whole causal context.</li>
 *   <li>Backward is twice the forward ({@link LayerOps#backward}); full recompute adds the forward
 *       (and its exchanges) again, selective recompute what {@link ActivationMemory} then drops: the
 *       attention core's share of the attention time, MLA's up-projections, the norms and the FFN
 *       activation functions.</li>
 *   <li>TP: two all-reduces of the layer's activations per layer and direction (reduce-scatter +
 *       all-gather with sequence parallelism: the same bytes). CP: a ring passing K/V (their
 *       gradients backward) cp - 1 times, hidden behind the attention core where it can be.
 *       EP: each token entering the MoE (1/tp of the rank's tokens, etp times that with expert
 *       tensor parallelism) sent as the layout's {@link TokenDispatcher} sends it: once per distinct
 *       destination GPU over NVLink and once per distinct remote node over the NIC
 *       ({@link ExpertDispatch}) with DeepEP, every top-k row to its expert's GPU with Megatron's
 *       all-to-all; dispatch and combine in their dtypes; the slowest EP rank's expert GEMMs gate
 *       the combine.</li>
 *   <li>PP: one activation send of the rank's tokens x hidden / tp per micro-batch and boundary.</li>
 *   <li>DP: the stage's gradients reduced over dp x cp (dense) and edp (experts), parameters
 *       all-gathered back with a sharded optimizer ({@link Collectives}); Adam over the rank's shard
 *       as a memory-bound kernel.</li>
 *   <li>Host: where the cost model prices the host's kernel issue, each MoE layer's forward ends
 *       a {@link HostTimeline} segment (the dispatcher's sync) and the backward is one more; the
 *       host-bound time ({@link HostSchedule} counts) lengthens the pass.</li>
 * </ul>
 */
public final class TrainingStepPricer {
    private static final int ACTIVATION_BYTES = 2;

    private final ModelSpec model;
    private final ParallelLayout layout;
    private final Precision precision;
    private final CostModel costModel;
    private final int maxNodesPerToken;
    private final LayerOps ops;
    private final Collectives collectives;

    public TrainingStepPricer(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                              int maxNodesPerToken) {
        this.model = model;
        this.layout = layout;
        this.precision = precision;
        this.costModel = costModel;
        this.maxNodesPerToken = maxNodesPerToken;
        this.ops = new LayerOps(model, costModel, precision.gemm(), precision.attention());
        this.collectives = new Collectives(costModel);
    }

    /** One price per pipeline stage. */
    public List<StagePrice> price() {
        ClusterSpec cluster = costModel.cluster();
        int gpusPerNode = cluster.gpusPerNode();
        int tp = layout.tp();
        double tokens = layout.tokensPerMicroBatchPerRank();
        double meanContext = FlopAccounting.causalMeanContext(layout.sequenceLength());
        int h = model.hiddenSize();
        MoeLayerSpec moe = model.moe();

        // Per-layer pieces, forward, one micro-batch.
        OpCost attention = ops.attention(tokens / tp, meanContext);
        double coreBackwardExtraUs = ops.attentionCoreBackwardExtraUs(tokens / tp, meanContext);
        // Sliding-window layers (GPT-OSS alternates) attend to fewer keys.
        double slidingKeys = model.attention().meanKeys(0, layout.sequenceLength());
        OpCost slidingAttention = ops.attention(tokens / tp, slidingKeys);
        double slidingBackwardExtraUs = ops.attentionCoreBackwardExtraUs(tokens / tp, slidingKeys);
        double coreShare = coreShare(model.attention(), meanContext);
        double denseFfnUs = model.denseLayers() > 0 ? ops.denseFfn(tokens / tp).timeUs() : 0;
        double moeTokens = tokens * layout.etp() / tp;
        // A dense model (no moe section) has no MoE layer: its MoE pieces are never added.
        boolean dense = model.isDense();
        double routerUs = dense ? 0 : ops.router(moeTokens).timeUs();
        double sharedUs = dense ? 0 : ops.sharedExperts(tokens / tp).timeUs();
        double copies = dense ? 0 : moeTokens * moe.routedExpertsPerToken();
        double permuteUs = dense ? 0 : ops.permute(copies).timeUs() * permutePasses(moe);
        double unpermuteUs = dense ? 0 : ops.unpermute(copies, moeTokens).timeUs();
        double expertsUs = dense ? 0 : slowestExpertRankUs(moeTokens);
        // Kernels besides the GEMMs, attention and the blocks' own norms: RoPE, QK-norm, the
        // pre-FFN norm, residual adds, and with fp8 GEMMs the quantization of every GEMM input.
        // An expert GEMM's inputs: the copy's hidden state (up projection), its activation (down).
        double expertInputs = dense ? 0 : copies / layout.etp() * (h + meanExpertHidden() / layout.etp())
                + tokens / tp * moe.sharedExperts() * (h + (double) moe.sharedExpertHidden());
        double elementwiseUs = ops.layerElementwise(tokens / tp).timeUs()
                + ops.quantize(ops.attentionGemmInputs(tokens / tp)).timeUs();
        double denseQuantizeUs = model.denseLayers() > 0
                ? ops.quantize(tokens / tp * (h + model.denseFfnHidden())).timeUs() : 0;
        double moeQuantizeUs = dense ? 0 : ops.quantize(expertInputs).timeUs();
        // Selective recompute redoes what ActivationMemory does not keep: the attention core, MLA's
        // up-projections, the norms and the FFN activation functions.
        double selectiveAttentionUs = attention.timeUs() * coreShare + mlaUpProjectionUs(tokens / tp)
                + costModel.memoryBound(2.0 * 2 * tokens * h * ACTIVATION_BYTES).timeUs();
        double selectiveDenseUs = model.denseLayers() > 0
                ? activationFunctionUs(tokens / tp * model.denseFfnHidden(), model.denseActivation().matrices()) : 0;
        double selectiveMoeUs = dense ? 0 : activationFunctionUs(copies * meanExpertHidden() / layout.etp()
                + tokens / tp * moe.sharedExperts() * moe.sharedExpertHidden(), moe.activation().matrices());

        boolean tpCrosses = tp > gpusPerNode;
        double tpLayerUs = 2 * collectives.allReduceUs(tokens * h * ACTIVATION_BYTES, tp, tpCrosses);
        double cpLayerBytes = (layout.cp() - 1) * tokens * kvBytesPerToken(model.attention());
        boolean cpCrosses = (long) tp * layout.cp() > gpusPerNode;
        double cpLayerUs = layout.cp() > 1 ? (layout.cp() - 1) * collectives.sendUs(cpLayerBytes / (layout.cp() - 1),
                cpCrosses) : 0;
        double cpExposedFwd = Math.max(0, cpLayerUs - attention.timeUs() * coreShare);
        double cpExposedBwd = Math.max(0, 2 * cpLayerUs - 2 * attention.timeUs() * coreShare);

        double epDispatchUs = 0;
        double epCombineUs = 0;
        if (layout.ep() * layout.etp() > 1) {
            double[] wireCopies = wireCopiesPerToken(moe);
            double dispatchToken = Precision.wireBytes(h, precision.dispatch());
            double combineToken = Precision.wireBytes(h, precision.combine());
            double nvCopies = moeTokens * wireCopies[0];
            double nicCopies = moeTokens * wireCopies[1];
            epDispatchUs = collectives.exchangeUs(nvCopies * dispatchToken, nicCopies * dispatchToken);
            epCombineUs = collectives.exchangeUs(nvCopies * combineToken, nicCopies * combineToken);
        }
        // Backward: the combine's gradient travels like a dispatch and vice versa, in bf16.
        double epBackwardUs = 2 * epCombineUs;

        double lmHeadUs = ops.lmHead(tokens / tp).timeUs() + ops.crossEntropy(tokens / tp).timeUs();
        boolean ppCrosses = layout.gpus() / layout.pp() >= gpusPerNode;
        double sendUs = layout.pp() > 1
                ? collectives.sendUs(tokens * h * ACTIVATION_BYTES / tp, ppCrosses) : 0;
        boolean dpCrosses = layout.gpus() / layout.pp() > gpusPerNode;

        // Host issue: one segment per MoE layer forward (the dispatcher's sync), the backward one more.
        double hostUsPerOp = costModel.hostIssueUsPerKernel();
        HostSchedule hostOps = HostSchedule.megatronCore(model, layout, precision);

        List<StagePrice> out = new ArrayList<>(layout.pp());
        for (int s = 0; s < layout.pp(); s++) {
            int first = layout.firstLayerOf(s);
            int n = layout.layersOf(s);
            double fwdCompute = 0;
            double fwdComm = 0;
            double tp2 = 0;
            double cp2 = 0;
            double ep2 = 0;
            double coreUs = 0; // what selective recompute redoes
            double bwdComm = 0;
            double layerBackwardExtraUs = 0;
            HostTimeline host = new HostTimeline(hostUsPerOp);
            double hostBackwardIssueUs = 0;
            double hostForwardIssueUs = 0;
            for (int l = first; l < first + n; l++) {
                double layerStartUs = fwdCompute + fwdComm;
                boolean slides = model.attention() instanceof GqaAttention g && g.slides(l);
                fwdCompute += (slides ? slidingAttention : attention).timeUs() + elementwiseUs;
                layerBackwardExtraUs += slides ? slidingBackwardExtraUs : coreBackwardExtraUs;
                coreUs += selectiveAttentionUs;
                if (l < model.denseLayers()) {
                    fwdCompute += denseFfnUs + denseQuantizeUs;
                    coreUs += selectiveDenseUs;
                } else {
                    coreUs += selectiveMoeUs;
                    fwdCompute += routerUs + permuteUs + sharedUs + expertsUs + unpermuteUs + moeQuantizeUs;
                    fwdComm += epDispatchUs + epCombineUs;
                    bwdComm += epBackwardUs;
                    ep2 += epDispatchUs + epCombineUs + epBackwardUs;
                }
                fwdComm += tpLayerUs + cpExposedFwd;
                bwdComm += tpLayerUs + cpExposedBwd;
                tp2 += 2 * tpLayerUs;
                cp2 += cpExposedFwd + cpExposedBwd;
                boolean moeLayer = l >= model.denseLayers();
                host.add(hostUsPerOp * hostOps.forwardOps(moeLayer), fwdCompute + fwdComm - layerStartUs);
                if (moeLayer) {
                    host.sync();
                }
                hostForwardIssueUs += hostUsPerOp * hostOps.forwardOps(moeLayer);
                hostBackwardIssueUs += hostUsPerOp * hostOps.backwardOps(moeLayer);
            }
            if (s == layout.pp() - 1) {
                fwdCompute += lmHeadUs;
            }
            double recompute = switch (layout.recompute()) {
                case NONE -> 0;
                case SELECTIVE -> coreUs;
                case FULL -> fwdCompute + fwdComm;
            };
            if (layout.recompute() == Recompute.FULL) {
                tp2 += tp2 / 2;
                ep2 += ep2 / 2;
            }
            double forward = fwdCompute + fwdComm;
            double backward = 2 * fwdCompute + layerBackwardExtraUs + bwdComm + recompute;
            double hostForwardUs = host.hostBoundUs();
            host.add(hostBackwardIssueUs + (layout.recompute() == Recompute.FULL ? hostForwardIssueUs : 0), backward);
            host.sync();
            forward += hostForwardUs;
            backward += host.hostBoundUs() - hostForwardUs;
            TrainingMemory.StageParams p = TrainingMemory.stageParams(model, layout, s);
            boolean sharded = layout.distributedOptimizer() || layout.fsdp();
            double gradBytesDense = p.dense() * precision.grads().bytes();
            double gradBytesExpert = p.expert() * precision.grads().bytes();
            int denseGroup = layout.dp() * layout.cp();
            double reduce = sharded
                    ? collectives.reduceScatterUs(gradBytesDense, denseGroup, dpCrosses)
                    + collectives.reduceScatterUs(gradBytesExpert, layout.edp(), dpCrosses)
                    : collectives.allReduceUs(gradBytesDense, denseGroup, dpCrosses)
                    + collectives.allReduceUs(gradBytesExpert, layout.edp(), dpCrosses);
            double gather = sharded
                    ? collectives.allGatherUs(p.dense() * precision.params().bytes(), denseGroup, dpCrosses)
                    + collectives.allGatherUs(p.expert() * precision.params().bytes(), layout.edp(), dpCrosses)
                    : 0;
            if (layout.fsdp()) {
                // ZeRO-3: weights gathered again for every micro-batch's forward and backward and the
                // gradients reduce-scattered after each backward, layer by layer behind the compute;
                // what the compute cannot hide lengthens the pass.
                forward += Math.max(0, gather - fwdCompute);
                backward += Math.max(0, gather + reduce - 2 * fwdCompute - recompute);
            }
            double shard = sharded ? p.dense() / denseGroup + p.expert() / layout.edp() : p.dense() + p.expert();
            double optimizer = costModel.memoryBound(shard * adamBytesPerParam()).timeUs();
            // With fsdp the collectives happen per micro-batch, inside forward and backward above.
            out.add(new StagePrice(s, n, forward, backward, recompute, tp2, cp2, ep2, sendUs,
                    layout.fsdp() ? 0 : reduce, layout.fsdp() ? 0 : gather, optimizer, host.hostBoundUs()));
        }
        return out;
    }

    /**
     * Copies of one token the dispatch puts on NVLink and on the NIC: {NVLink, NIC}. DeepEP sends
     * one per distinct destination GPU (those on other nodes cross the NIC once per node, then
     * NVLink); Megatron's all-to-all sends each of the top-k rows straight to its expert's GPU.
     */
    private double[] wireCopiesPerToken(MoeLayerSpec moe) {
        int ranks = layout.ep();
        int topK = moe.routedExpertsPerToken();
        if (layout.dispatcher() == TokenDispatcher.ALLTOALL) {
            int perNode = ranks / layout.nodesPerExpertGroup();
            return new double[] {(double) topK * (perNode - 1) / ranks, (double) topK * (ranks - perNode) / ranks};
        }
        ExpertDispatch d = new ExpertDispatch(ranks, layout.nodesPerExpertGroup(), moe.expertCount(), topK,
                maxNodesPerToken);
        return new double[] {d.nvlinkCopies(), d.remoteNodeCopies()};
    }

    /**
     * Passes over the token copies that reorder them, forward: the permutation into expert order,
     * and with Megatron's all-to-all and several local experts the regrouping by local expert after
     * the dispatch (sort_chunks_by_idxs) and its inverse before the combine.
     */
    private int permutePasses(MoeLayerSpec moe) {
        boolean regroups = layout.dispatcher() == TokenDispatcher.ALLTOALL && layout.ep() > 1
                && moe.expertCount() / layout.ep() > 1;
        return regroups ? 3 : 1;
    }

    /** MLA's query and key/value up-projections for {@code m} tokens (0 for GQA). */
    private double mlaUpProjectionUs(double m) {
        if (!(model.attention() instanceof org.mohge.costmodel.arch.MlaAttention mla) || m <= 0) {
            return 0;
        }
        long rows = (long) Math.ceil(m);
        double us = costModel.gemm(new org.mohge.costmodel.cost.GemmShape(rows,
                (long) mla.heads() * (mla.qkNopeHeadDim() + mla.vHeadDim()), mla.kvLoraRank()), precision.gemm())
                .timeUs();
        if (mla.qLoraRank() > 0) {
            us += costModel.gemm(new org.mohge.costmodel.cost.GemmShape(rows, (long) mla.heads() * mla.qkHeadDim(),
                    mla.qLoraRank()), precision.gemm()).timeUs();
        }
        return us;
    }

    /** SwiGLU (GELU) over {@code values} intermediate values: read gate and up, write the product. */
    private double activationFunctionUs(double values, int matrices) {
        return costModel.memoryBound(values * matrices * ACTIVATION_BYTES).timeUs();
    }

    private double meanExpertHidden() {
        double sum = 0;
        for (ExpertShape e : model.moe().expertShapes()) {
            sum += e.hidden();
        }
        return sum / model.moe().expertCount();
    }

    /** Forward time of one MoE layer's expert GEMMs on the slowest EP rank at the expected loads, per micro-batch. */
    public double expertsForwardUs() {
        return slowestExpertRankUs(moeTokensPerRank());
    }

    /** Tokens one rank feeds into each MoE layer per micro-batch (1/tp of its tokens, times etp). */
    public double moeTokensPerRank() {
        return (double) layout.tokensPerMicroBatchPerRank() * layout.etp() / layout.tp();
    }

    /** Adam reads master, gradient, m and v and writes master, m, v and the working weight. */
    private double adamBytesPerParam() {
        return 2 * precision.optimizerBytesPerParam() + precision.grads().bytes() + precision.params().bytes();
    }

    /** The slowest EP rank's grouped GEMMs, experts placed in contiguous blocks, copies at the default shares. */
    private double slowestExpertRankUs(double moeTokens) {
        MoeLayerSpec moe = model.moe();
        List<ExpertShape> shapes = moe.expertShapes();
        double[] shares = moe.defaultExpertShares();
        int perRank = shapes.size() / layout.ep();
        double groupCopies = layout.ep() * moeTokens * moe.routedExpertsPerToken() / layout.etp();
        double slowest = 0;
        for (int r = 0; r < layout.ep(); r++) {
            double[] t = new double[perRank];
            int[] hidden = new int[perRank];
            for (int i = 0; i < perRank; i++) {
                ExpertShape e = shapes.get(r * perRank + i);
                // With etp > 1 each of the etp ranks of an expert sees all its copies at hidden / etp.
                t[i] = groupCopies * shares[e.index()];
                hidden[i] = e.hidden() / layout.etp();
            }
            slowest = Math.max(slowest, ops.experts(t, hidden).timeUs());
        }
        return slowest;
    }

    /** Share of the attention block's FLOPs in the core (scores and values). */
    private double coreShare(AttentionSpec attention, double meanContext) {
        double core = attention.coreFlopsPerToken(meanContext);
        return core / (core + 2.0 * attention.matmulParams(model.hiddenSize()));
    }

    /** K and V bytes of one token as context parallelism passes them around (MLA: decompressed heads). */
    private static double kvBytesPerToken(AttentionSpec attention) {
        if (attention instanceof GqaAttention gqa) {
            return gqa.kvCacheBytesPerToken(ACTIVATION_BYTES);
        }
        return (double) attention.heads() * (attention.qkHeadDim() + attention.vHeadDim()) * ACTIVATION_BYTES;
    }
}
