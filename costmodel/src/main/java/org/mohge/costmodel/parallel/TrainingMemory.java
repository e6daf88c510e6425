package org.mohge.costmodel.parallel;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * Memory per rank of a training job under a {@link ParallelLayout}, one figure per pipeline stage:
 * <ul>
 *   <li>weights: the stage's non-expert weights split by tp (embedding on the first stage, final
 *       norm and LM head on the last), its experts split by ep x etp; with fsdp also sharded over
 *       the data-parallel group (dp x cp for dense weights, edp for experts), plus two layers
 *       gathered whole (the one computing and the one prefetched);</li>
 *   <li>gradients in the precision's grads dtype, sharded only with fsdp (the distributed
 *       optimizer reduce-scatters into a full buffer);</li>
 *   <li>optimizer: an fp32 master copy plus Adam's m and v per weight (Megatron's distributed
 *       optimizer table: 6 + 12/d bytes per parameter with bf16 weights and fp32 grads, when
 *       sharded), sharded with distributedOptimizer or fsdp;</li>
 *   <li>activations per micro-batch from {@link ActivationMemory}, times the micro-batches the
 *       schedule holds: min(m, pp - stage) for 1F1B, Megatron's interleaved warm-up
 *       (pp - stage - 1) x 2 + (vp - 1) x pp + 1 model chunks for interleaved; plus the
 *       embedding output on the first stage and the fp32 logits on the last.</li>
 * </ul>
 */
public final class TrainingMemory {
    private static final int VALUE_BYTES = 2;
    private static final int LOGIT_BYTES = 4;

    private TrainingMemory() {
    }

    public static List<RankMemory> perStage(ModelSpec model, ParallelLayout layout, Precision precision,
                                            ClusterSpec cluster) {
        List<RankMemory> out = new ArrayList<>(layout.pp());
        for (int s = 0; s < layout.pp(); s++) {
            out.add(stage(model, layout, precision, cluster, s));
        }
        return out;
    }

    /** Non-expert and expert weights held by one rank of stage {@code s} before any fsdp sharding. */
    public record StageParams(double dense, double expert) {
    }

    public static StageParams stageParams(ModelSpec model, ParallelLayout layout, int s) {
        int d = model.hiddenSize();
        MoeLayerSpec moe = model.moe();
        int first = layout.firstLayerOf(s);
        int n = layout.layersOf(s);
        double dense = 0;
        double expert = 0;
        for (int l = first; l < first + n; l++) {
            dense += model.attention().params(d) + 2.0 * d;
            if (l < model.denseLayers()) {
                dense += model.denseActivation().ffnParams(d, model.denseFfnHidden());
            } else {
                dense += moe.routerParams(d) + moe.sharedExpertParams(d);
                expert += moe.routedExpertParams(d);
            }
        }
        double embedding = (double) model.vocabSize() * d;
        if (s == 0) {
            dense += embedding;
        }
        if (s == layout.pp() - 1) {
            // With pp > 1 the last stage holds its own LM head copy even when tied.
            dense += (model.tieEmbeddings() && layout.pp() == 1 ? 0 : embedding) + d;
        }
        return new StageParams(dense / layout.tp(), expert / ((double) layout.ep() * layout.etp()));
    }

    /** Micro-batches whose activations stage {@code s} holds at its peak (model chunks / vp when interleaved). */
    public static double inFlightMicroBatches(ParallelLayout layout, int s) {
        int pp = layout.pp();
        int m = layout.microBatches();
        if (layout.schedule() == PipelineSchedule.INTERLEAVED) {
            int vp = layout.vp();
            int chunks = Math.min(m * vp, (pp - s - 1) * 2 + (vp - 1) * pp + 1);
            return (double) chunks / vp;
        }
        return Math.min(m, pp - s);
    }

    private static RankMemory stage(ModelSpec model, ParallelLayout layout, Precision precision, ClusterSpec cluster,
                                    int s) {
        StageParams p = stageParams(model, layout, s);
        double denseShards = (double) layout.dp() * layout.cp();
        double expertShards = layout.edp();
        double heldDense = layout.fsdp() ? p.dense() / denseShards : p.dense();
        double heldExpert = layout.fsdp() ? p.expert() / expertShards : p.expert();
        double weights = (heldDense + heldExpert) * precision.params().bytes();
        if (layout.fsdp() && layout.layersOf(s) > 0) {
            // The layer being computed and the next one being prefetched, gathered whole.
            weights += 2 * (p.dense() + p.expert()) / layout.layersOf(s) * precision.params().bytes();
        }
        double gradients = (heldDense + heldExpert) * precision.grads().bytes();
        boolean sharded = layout.fsdp() || layout.distributedOptimizer();
        double optimizerParams = sharded ? p.dense() / denseShards + p.expert() / expertShards
                : p.dense() + p.expert();
        double optimizer = optimizerParams * precision.optimizerBytesPerParam();

        double tokens = layout.tokensPerMicroBatchPerRank();
        int first = layout.firstLayerOf(s);
        double perToken = 0;
        for (int l = first; l < first + layout.layersOf(s); l++) {
            perToken += ActivationMemory.layerBytesPerToken(model, layout, l >= model.denseLayers(),
                    precision.gemm().bytes());
        }
        double perMicroBatch = tokens * perToken;
        if (s == 0) {
            perMicroBatch += tokens * VALUE_BYTES * model.hiddenSize() / (layout.sequenceParallel() ? layout.tp() : 1);
        }
        double inFlight = inFlightMicroBatches(layout, s);
        double activations = inFlight * perMicroBatch;
        if (s == layout.pp() - 1) {
            activations += tokens * LOGIT_BYTES * (double) model.vocabSize() / layout.tp();
        }
        return new RankMemory(s, weights, gradients, optimizer, activations, inFlight, cluster.gpu().hbmBytes());
    }
}
