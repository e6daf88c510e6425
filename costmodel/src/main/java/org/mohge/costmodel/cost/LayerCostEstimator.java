package org.mohge.costmodel.cost;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.workload.WorkloadSpec;

/**
 * Expected (mean-field) cost of one MoE layer: every GPU has the same number of tokens and each
 * token picks expert e with probability {@code shares[e] * routedExpertsPerToken}, so GPU g
 * receives the expected share of copies of the experts it holds. Stages run one after another
 * without overlap; the simulator refines this with real routing draws and overlap.
 */
public final class LayerCostEstimator {
    private final LayerOps ops;

    public LayerCostEstimator(LayerOps ops) {
        this.ops = ops;
    }

    public LayerCostBreakdown estimate(WorkloadSpec workload, Placement placement, double[] expertShares) {
        ModelSpec model = ops.model();
        MoeLayerSpec moe = model.moe();
        int gpus = placement.gpuCount();
        double tokens = workload.tokensPerGpuPerMicroBatch(gpus);
        double copiesPerToken = moe.routedExpertsPerToken();
        double backward = workload.training() ? 1 : 0;
        List<ExpertShape> experts = moe.expertShapes();

        // Share of one GPU's routed copies that land on each GPU (identical for every source GPU).
        double[] destinationShare = new double[gpus];
        List<List<HeldCopy>> byGpu = placement.copiesByGpu();
        double[] expertUs = new double[gpus];
        double[] received = new double[gpus];
        OpCost slowestExperts = OpCost.ZERO;
        for (int g = 0; g < gpus; g++) {
            List<HeldCopy> held = byGpu.get(g);
            double[] t = new double[held.size()];
            int[] h = new int[held.size()];
            for (int i = 0; i < held.size(); i++) {
                HeldCopy copy = held.get(i);
                double share = expertShares[copy.expert()] * copy.share();
                destinationShare[g] += share;
                t[i] = tokens * gpus * copiesPerToken * share;
                h[i] = experts.get(copy.expert()).hidden();
                received[g] += t[i];
            }
            OpCost cost = ops.experts(t, h);
            expertUs[g] = cost.timeUs();
            if (cost.timeUs() >= slowestExperts.timeUs()) {
                slowestExperts = cost;
            }
        }
        double[][] dispatch = new double[gpus][gpus];
        double[][] combine = new double[gpus][gpus];
        for (int i = 0; i < gpus; i++) {
            for (int j = 0; j < gpus; j++) {
                double b = tokens * copiesPerToken * destinationShare[j] * ops.tokenBytes();
                dispatch[i][j] = b;
                combine[j][i] = b;
            }
        }
        AllToAllCost dispatchCost = ops.costModel().allToAll(dispatch);
        AllToAllCost combineCost = ops.costModel().allToAll(combine);
        double maxReceived = 0;
        for (double r : received) {
            maxReceived = Math.max(maxReceived, r);
        }

        List<StageCost> stages = new ArrayList<>();
        OpCost attention = ops.attention(tokens, FlopAccounting.causalMeanContext(workload.sequenceLength()));
        stages.add(stage(LayerStage.ATTENTION, attention, backward));
        stages.add(stage(LayerStage.ROUTER, ops.router(tokens), backward));
        stages.add(stage(LayerStage.PERMUTE, ops.permute(tokens * copiesPerToken), backward));
        stages.add(comm(LayerStage.DISPATCH, dispatchCost, backward));
        stages.add(stage(LayerStage.EXPERTS, slowestExperts, backward));
        stages.add(stage(LayerStage.SHARED_EXPERTS, ops.sharedExperts(tokens), backward));
        stages.add(comm(LayerStage.COMBINE, combineCost, backward));
        stages.add(stage(LayerStage.UNPERMUTE, ops.unpermute(maxReceived, tokens), backward));
        return new LayerCostBreakdown(tokens, stages, expertUs,
                dispatchCost.intraNodeBytes() + combineCost.intraNodeBytes(),
                dispatchCost.interNodeBytes() + combineCost.interNodeBytes());
    }

    private static StageCost stage(LayerStage stage, OpCost forward, double backward) {
        return new StageCost(stage, forward.timeUs(), backward * LayerOps.backward(forward).timeUs(),
                forward.flops() * (1 + 2 * backward), forward.bytes() * (1 + 2 * backward));
    }

    /** Backward of dispatch is a combine-shaped exchange of gradients, and vice versa: same bytes. */
    private static StageCost comm(LayerStage stage, AllToAllCost cost, double backward) {
        double bytes = cost.intraNodeBytes() + cost.interNodeBytes();
        return new StageCost(stage, cost.timeUs(), backward * cost.timeUs(), 0, bytes * (1 + backward));
    }
}
