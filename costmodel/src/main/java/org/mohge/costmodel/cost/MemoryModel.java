package org.mohge.costmodel.cost;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.AttentionSpec;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.workload.WorkloadSpec;

/**
 * Memory per GPU under data-parallel attention and expert-parallel FFNs.
 * <ul>
 *   <li>Weights: every non-expert weight on every GPU; each expert copy on the GPU that holds it.</li>
 *   <li>Training adds gradients in the model dtype and Adam state (fp32 master, m and v: 12 bytes
 *       per weight); the state of replicated weights is sharded over all GPUs (distributed
 *       optimizer, ZeRO-1), expert state stays with the expert.</li>
 *   <li>Activations kept for backward, one micro-batch at a time, without recomputation: per token
 *       and layer the two norm inputs, q, k, v and the attention output, then per routed copy its
 *       input row and the FFN's intermediate tensors; FlashAttention keeps no score matrix.</li>
 *   <li>Inference keeps one layer's activations and a KV cache of every token processed.</li>
 * </ul>
 * With one map per MoE layer ({@link LayeredPlacement}) a GPU holds, per MoE layer, the copies of
 * that layer's map; training keeps every layer's activations, inference the largest layer's.
 */
public final class MemoryModel {
    public static final double ADAM_STATE_BYTES_PER_PARAM = 12;

    private MemoryModel() {
    }

    /**
     * One copy of an expert over every MoE layer: {@code fixedBytes} whatever share of tokens it
     * serves (weights, and in training gradients and Adam state), {@code tokenBytes} what its
     * {@code copies} received copies per micro-batch add (activations: in training kept for backward
     * in every MoE layer; in inference one layer's, plus the received rows). The per-copy terms
     * {@link #perGpu} sums.
     */
    public record CopyBytes(double fixedBytes, double tokenBytes) {
    }

    public static CopyBytes copyBytes(ModelSpec model, WorkloadSpec workload, ExpertShape shape, double copies) {
        int d = model.hiddenSize();
        int valueBytes = model.bytesPerValue();
        MoeLayerSpec moe = model.moe();
        double params = (double) moe.expertParams(d, shape) * model.moeLayers();
        double weights = params * valueBytes;
        double perCopyActs = copies * (d + (double) moe.activation().matrices() * shape.hidden());
        if (workload.training()) {
            return new CopyBytes(2 * weights + ADAM_STATE_BYTES_PER_PARAM * params,
                    valueBytes * model.moeLayers() * perCopyActs);
        }
        return new CopyBytes(weights, valueBytes * (perCopyActs + copies * d));
    }

    /** The state that moves with one copy of an expert in one MoE layer: weights, and in training Adam state. */
    public static double movedBytes(ModelSpec model, ExpertShape shape, boolean training) {
        double params = model.moe().expertParams(model.hiddenSize(), shape);
        return params * (model.bytesPerValue() + (training ? ADAM_STATE_BYTES_PER_PARAM : 0));
    }

    /** One map for every MoE layer. */
    public static List<MemoryEstimate> perGpu(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload,
                                              Placement placement, double[] expertShares) {
        return perGpu(model, cluster, workload, LayeredPlacement.single(placement), expertShares);
    }

    /** Each MoE layer holding the copies of its own map. */
    public static List<MemoryEstimate> perGpu(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload,
                                              LayeredPlacement placement, double[] expertShares) {
        int gpus = cluster.gpuCount();
        int d = model.hiddenSize();
        int bytes = model.bytesPerValue();
        MoeLayerSpec moe = model.moe();
        List<ExpertShape> experts = moe.expertShapes();
        long totalParams = ParamAccounting.count(model).totalParams();
        double replicatedParams = totalParams - (double) model.moeLayers() * moe.routedExpertParams(d);
        double tokens = workload.tokensPerGpuPerMicroBatch(gpus);
        double copiesPerToken = moe.routedExpertsPerToken();
        AttentionSpec attention = model.attention();
        double attentionActs = 2.0 * d + (double) attention.heads() * attention.qkHeadDim()
                + attention.kvCacheBytesPerToken(1) + (double) attention.heads() * attention.vHeadDim();

        double sharedActs = moe.sharedExperts() * tokens
                * (d + (double) moe.activation().matrices() * moe.sharedExpertHidden());
        double perLayerMoeBesideCopies = sharedActs + tokens * 2.0 * d;
        List<Placement> maps = placement.placements();
        int[] layersPerMap = placement.layerCounts(model.moeLayers());
        List<List<List<HeldCopy>>> byMap = new ArrayList<>(maps.size());
        maps.forEach(m -> byMap.add(m.copiesByGpu()));
        List<MemoryEstimate> estimates = new ArrayList<>(gpus);
        for (int g = 0; g < gpus; g++) {
            double expertParams = 0;
            // Training: copy activations summed over MoE layers; inference: the largest one layer needs.
            double moeActsAllLayers = 0;
            double oneLayerActs = 0;
            double oneLayerCopyActs = 0;
            double oneLayerReceived = 0;
            for (int m = 0; m < maps.size(); m++) {
                if (layersPerMap[m] == 0) {
                    continue;
                }
                double receivedCopies = 0;
                double copyActs = 0;
                for (HeldCopy held : byMap.get(m).get(g)) {
                    ExpertShape e = experts.get(held.expert());
                    expertParams += moe.expertParams(d, e) * (double) layersPerMap[m];
                    // Expected copies this GPU receives: all tokens of the cluster times the expert's share.
                    double copies = tokens * gpus * copiesPerToken * expertShares[e.index()] * held.share();
                    receivedCopies += copies;
                    copyActs += copies * (d + (double) moe.activation().matrices() * e.hidden());
                }
                moeActsAllLayers += layersPerMap[m] * (copyActs + perLayerMoeBesideCopies);
                if (copyActs + receivedCopies * d >= oneLayerActs) {
                    oneLayerActs = copyActs + receivedCopies * d;
                    oneLayerCopyActs = copyActs;
                    oneLayerReceived = receivedCopies;
                }
            }
            double weights = (replicatedParams + expertParams) * bytes;
            double gradients = 0;
            double optimizer = 0;
            double activations;
            double kvCache = 0;
            if (workload.training()) {
                gradients = weights;
                optimizer = ADAM_STATE_BYTES_PER_PARAM * (replicatedParams / gpus + expertParams);
                double perLayerDense = tokens * (d + (double) moe.activation().matrices() * model.denseFfnHidden());
                activations = bytes * (model.layers() * tokens * attentionActs + moeActsAllLayers
                        + model.denseLayers() * perLayerDense);
            } else {
                activations = bytes * (tokens * attentionActs + oneLayerCopyActs + sharedActs + oneLayerReceived * d);
                kvCache = tokens * workload.microBatches() * model.layers() * attention.kvCacheBytesPerToken(bytes);
            }
            estimates.add(new MemoryEstimate(g, weights, gradients, optimizer, activations, kvCache,
                    cluster.gpu().hbmBytes()));
        }
        return estimates;
    }
}
