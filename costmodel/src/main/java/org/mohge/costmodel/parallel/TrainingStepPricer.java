package org.mohge.costmodel.parallel;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.HostCosts;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * Prices every piece of a training step on one rank of each pipeline stage: the one place where
 * the simulator's pipeline and {@code cost}'s mean-field estimate get their numbers. (It runs past
 * 300 lines because a layer's pieces are priced together, so that the totals, the host's issue
 * pieces and the overlap of exchanges see the same numbers; what stands alone lives in
 * {@link DispatchTraffic}, {@link DataParallelSync}, {@link HostPass} and {@link LayerOps}.)
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
 *       the combine. With {@code epOverlap} each exchange hides behind the one compute piece of
 *       another micro-batch's other pass that Megatron runs beside it ({@link EpOverlapPhases}),
 *       which runs meanwhile on the SMs the exchange kernels leave ({@code commSms}); only the
 *       excess is exposed.</li>
 *   <li>PP: one activation send of the rank's tokens x hidden / tp per micro-batch and boundary.</li>
 *   <li>DP: the stage's gradients reduced over dp x cp (dense) and edp (experts), parameters
 *       all-gathered back with a sharded optimizer ({@link Collectives}); Adam over the rank's shard
 *       as a memory-bound kernel.</li>
 *   <li>Host: where the cost model prices the host ({@link HostCosts}), a micro-batch's layers
 *       issue their pieces in order ({@link HostSchedule} counts) through an {@link IssueQueue};
 *       each MoE layer's forward makes the host wait for the GPU at the dispatcher's
 *       device-to-host copy. The time the GPU waits for the host lengthens the pass.</li>
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
        DispatchTraffic traffic = new DispatchTraffic(layout, moe, maxNodesPerToken);

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
        // The first permute pass sorts the rank's rows by destination; the all-to-all dispatcher's
        // other two regroup the received rows by local expert and back, beside the experts.
        double permutePassUs = dense ? 0 : ops.permute(copies).timeUs();
        double regroupUs = permutePassUs * (traffic.permutePasses() - 1);
        double permuteUs = permutePassUs + regroupUs;
        double unpermuteUs = dense ? 0 : ops.unpermute(copies, moeTokens).timeUs();
        double expertsUs = dense ? 0 : slowestExpertRankUs(moeTokens);
        // Kernels besides the GEMMs, attention and the blocks' own norms: RoPE, QK-norm, the
        // pre-FFN norm, residual adds, and with fp8 GEMMs the quantization of every GEMM input.
        // An expert GEMM's inputs: the copy's hidden state (up projection), its activation (down).
        double expertInputs = dense ? 0 : copies / layout.etp() * (h + meanExpertHidden() / layout.etp())
                + tokens / tp * moe.sharedExperts() * (h + (double) moe.sharedExpertHidden());
        // Norms and residual adds hold the whole hidden state of every token of the rank unless
        // sequence parallelism splits them over the TP group.
        double hiddenTokens = layout.sequenceParallel() ? tokens / tp : tokens;
        double elementwiseUs = ops.layerElementwise(tokens / tp, hiddenTokens).timeUs()
                + ops.quantize(ops.attentionGemmInputs(tokens / tp)).timeUs();
        double denseQuantizeUs = model.denseLayers() > 0
                ? ops.quantize(tokens / tp * (h + model.denseFfnHidden())).timeUs() : 0;
        double moeQuantizeUs = dense ? 0 : ops.quantize(expertInputs).timeUs();
        // Selective recompute redoes what ActivationMemory does not keep: the attention core, MLA's
        // up-projections, the norms and the FFN activation functions.
        double selectiveAttentionUs = attention.timeUs() * coreShare + ops.mlaUpProjection(tokens / tp).timeUs()
                + costModel.memoryBound(2.0 * 2 * hiddenTokens * h * ACTIVATION_BYTES).timeUs();
        double selectiveDenseUs = model.denseLayers() > 0
                ? ops.activationFunction(tokens / tp * model.denseFfnHidden(), model.denseActivation().matrices()).timeUs() : 0;
        double selectiveMoeUs = dense ? 0 : ops.activationFunction(copies * meanExpertHidden() / layout.etp()
                + tokens / tp * moe.sharedExperts() * moe.sharedExpertHidden(), moe.activation().matrices()).timeUs();

        double tpLayerUs = 2 * collectives.allReduceUs(tokens * h * ACTIVATION_BYTES,
                RingGroup.strided(tp, 1, gpusPerNode));
        double cpLayerBytes = (layout.cp() - 1) * tokens * kvBytesPerToken(model.attention());
        boolean cpCrosses = (long) tp * layout.cp() > gpusPerNode;
        double cpLayerUs = layout.cp() > 1 ? (layout.cp() - 1) * collectives.sendUs(cpLayerBytes / (layout.cp() - 1),
                cpCrosses) : 0;
        double cpExposedFwd = Math.max(0, cpLayerUs - attention.timeUs() * coreShare);
        double cpExposedBwd = Math.max(0, 2 * cpLayerUs - 2 * attention.timeUs() * coreShare);

        double epDispatchUs = 0;
        double epCombineUs = 0;
        double epBackwardUs = 0;
        if (layout.ep() * layout.etp() > 1) {
            double[] wireCopies = traffic.wireCopiesPerToken();
            double dispatchToken = Precision.wireBytes(h, precision.dispatch());
            double combineToken = Precision.wireBytes(h, precision.combine());
            double gradientToken = Precision.wireBytes(h, DType.BF16);
            double nvCopies = moeTokens * wireCopies[0];
            double nicCopies = moeTokens * wireCopies[1];
            epDispatchUs = collectives.exchangeUs(nvCopies * dispatchToken, nicCopies * dispatchToken);
            epCombineUs = collectives.exchangeUs(nvCopies * combineToken, nicCopies * combineToken);
            // Backward: the combine's gradient travels like a dispatch and vice versa, in bf16
            // whatever the forward's dtypes.
            epBackwardUs = 2 * collectives.exchangeUs(nvCopies * gradientToken, nicCopies * gradientToken);
        }

        // Under epOverlap the compute beside an exchange runs on the SMs its kernels leave.
        double commSmShare = (double) layout.commSms() / cluster.gpu().smCount();

        double lmHeadUs = ops.lmHead(tokens / tp).timeUs() + ops.crossEntropy(tokens / tp).timeUs();
        boolean ppCrosses = layout.gpus() / layout.pp() >= gpusPerNode;
        double sendUs = layout.pp() > 1
                ? collectives.sendUs(tokens * h * ACTIVATION_BYTES / tp, ppCrosses) : 0;

        // Host issue: the layer's pieces in order through one IssueQueue per micro-batch; the
        // MoE forward's device-to-host copy is where the host waits for the GPU.
        HostCosts host = costModel.hostCosts();
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
            HostPass hostPass = new HostPass();
            for (int l = first; l < first + n; l++) {
                boolean slides = model.attention() instanceof GqaAttention g && g.slides(l);
                double attentionUs = (slides ? slidingAttention : attention).timeUs() + elementwiseUs;
                double backwardExtraUs = slides ? slidingBackwardExtraUs : coreBackwardExtraUs;
                fwdCompute += attentionUs;
                layerBackwardExtraUs += backwardExtraUs;
                coreUs += selectiveAttentionUs;
                List<HostPass.Piece> fwd = new ArrayList<>(5);
                List<HostPass.Piece> bwd = new ArrayList<>(5);
                fwd.add(new HostPass.Piece(hostOps.attentionForward(), attentionUs + tpLayerUs + cpExposedFwd, false));
                double selectiveLayerUs = selectiveAttentionUs;
                if (l < model.denseLayers()) {
                    double ffnUs = denseFfnUs + denseQuantizeUs;
                    fwdCompute += ffnUs;
                    coreUs += selectiveDenseUs;
                    selectiveLayerUs += selectiveDenseUs;
                    fwd.add(new HostPass.Piece(hostOps.denseFfnForward(), ffnUs, false));
                    bwd.add(new HostPass.Piece(hostOps.denseFfnBackward(), 2 * ffnUs, false));
                } else {
                    coreUs += selectiveMoeUs;
                    selectiveLayerUs += selectiveMoeUs;
                    double expertSideUs = sharedUs + expertsUs + moeQuantizeUs;
                    double moeForwardUs = routerUs + permuteUs + expertSideUs + unpermuteUs;
                    fwdCompute += moeForwardUs;
                    double dispatchUs = epDispatchUs;
                    double combineUs = epCombineUs;
                    double backwardExchangeUs = epBackwardUs;
                    if (layout.epOverlap()) {
                        // Megatron's combined 1F1B pairs each exchange with one compute piece of
                        // another micro-batch's other pass; only what runs past it is exposed.
                        double preDispatchComputeUs = attentionUs + routerUs + sharedUs + permutePassUs;
                        double mlpUs = expertsUs + moeQuantizeUs + regroupUs;
                        EpOverlapPhases phases = new EpOverlapPhases(
                                preDispatchComputeUs + tpLayerUs + cpExposedFwd, mlpUs,
                                2 * preDispatchComputeUs + backwardExtraUs + tpLayerUs + cpExposedBwd, 2 * mlpUs,
                                epDispatchUs, epCombineUs, epBackwardUs / 2, epBackwardUs / 2, commSmShare);
                        dispatchUs = phases.exposedDispatchUs();
                        combineUs = phases.exposedCombineUs();
                        backwardExchangeUs = phases.exposedBackwardUs();
                    }
                    fwdComm += dispatchUs + combineUs;
                    bwdComm += backwardExchangeUs;
                    ep2 += dispatchUs + combineUs + backwardExchangeUs;
                    fwd.add(new HostPass.Piece(hostOps.routingForward(), routerUs, true));
                    fwd.add(new HostPass.Piece(hostOps.dispatchForward(), permuteUs + dispatchUs, false));
                    fwd.add(new HostPass.Piece(hostOps.expertsForward(), expertSideUs, false));
                    fwd.add(new HostPass.Piece(hostOps.combineForward(), unpermuteUs + combineUs, false));
                    bwd.add(new HostPass.Piece(hostOps.combineBackward(), 2 * unpermuteUs + backwardExchangeUs / 2,
                            false));
                    bwd.add(new HostPass.Piece(hostOps.expertsBackward(), 2 * expertSideUs, false));
                    bwd.add(new HostPass.Piece(hostOps.dispatchBackward(), 2 * permuteUs + backwardExchangeUs / 2,
                            false));
                    bwd.add(new HostPass.Piece(hostOps.routingBackward(), 2 * routerUs, false));
                }
                bwd.add(new HostPass.Piece(hostOps.attentionBackward(), 2 * attentionUs + backwardExtraUs + tpLayerUs
                        + cpExposedBwd, false));
                if (layout.recompute() == Recompute.SELECTIVE) {
                    bwd.add(0, new HostPass.Piece(HostSchedule.Issue.NONE, selectiveLayerUs, false));
                } else if (layout.recompute() == Recompute.FULL) {
                    bwd.addAll(0, fwd);
                }
                hostPass.layer(fwd, bwd);
                fwdComm += tpLayerUs + cpExposedFwd;
                bwdComm += tpLayerUs + cpExposedBwd;
                tp2 += 2 * tpLayerUs;
                cp2 += cpExposedFwd + cpExposedBwd;
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
            double[] hostBound = host.priced() ? hostPass.hostBoundUs(host) : new double[2];
            forward += hostBound[0];
            backward += hostBound[1];
            DataParallelSync dpSync = DataParallelSync.of(model, layout, precision, collectives, s);
            double reduce = dpSync.reduceUs();
            double gather = dpSync.gatherUs();
            double fsdpExposed = 0;
            if (layout.fsdp()) {
                // ZeRO-3: weights gathered again for every micro-batch's forward and backward and the
                // gradients reduce-scattered after each backward, layer by layer behind the compute;
                // what the compute cannot hide lengthens the pass.
                double forwardWait = Math.max(0, gather - fwdCompute);
                double backwardWait = Math.max(0, gather + reduce - 2 * fwdCompute - recompute);
                forward += forwardWait;
                backward += backwardWait;
                fsdpExposed = forwardWait + backwardWait;
            }
            double optimizer = costModel.memoryBound(dpSync.shardParams() * adamBytesPerParam()).timeUs();
            // With fsdp the collectives happen per micro-batch, inside forward and backward above.
            out.add(new StagePrice(s, n, forward, backward, recompute, tp2, cp2, ep2, sendUs,
                    layout.fsdp() ? 0 : reduce, layout.fsdp() ? 0 : gather, optimizer, hostBound[0] + hostBound[1],
                    fsdpExposed));
        }
        return out;
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
        // moeTokens already counts the etp ranks' tokens each rank of an expert-tensor group sees.
        double groupCopies = layout.ep() * moeTokens * moe.routedExpertsPerToken();
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
