package org.mohge.costmodel.parallel;

import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * A validated parallel layout of a training job on a cluster, folded as Megatron folds it: the
 * dense part runs tp x cp x dp x pp = gpus, the MoE part etp x ep x edp x pp over the same GPUs
 * (so etp x ep x edp = tp x cp x dp). Ranks are numbered tp fastest, then cp, dp, pp for the
 * dense part and etp, ep, edp, pp for experts, so a TP or EP group is a block of consecutive
 * GPUs and pipeline stages are {@code gpus / pp} apart. {@code microBatches} is the gradient
 * accumulation count per pipeline (globalBatchSize / (microBatchSize x dp)); {@code stageLayers}
 * the decoder layers of each pipeline rank (all its virtual stages together).
 *
 * <p>{@link #of} turns every impossible layout into one {@link SpecViolation} naming the key and
 * the rule it breaks.
 */
public record ParallelLayout(int gpus, int gpusPerNode, int tp, int pp, int vp, int cp, int dp, int ep, int etp,
                             int edp, boolean sequenceParallel, boolean distributedOptimizer, boolean fsdp,
                             PipelineSchedule schedule, Recompute recompute, int microBatchSize,
                             int sequenceLength, int microBatches, int[] stageLayers, TokenDispatcher dispatcher,
                             boolean epOverlap, int commSms) {

    public ParallelLayout {
        stageLayers = stageLayers.clone();
    }

    /** A layout whose exchange kernels hold the dispatcher's default SMs. */
    public ParallelLayout(int gpus, int gpusPerNode, int tp, int pp, int vp, int cp, int dp, int ep, int etp,
                          int edp, boolean sequenceParallel, boolean distributedOptimizer, boolean fsdp,
                          PipelineSchedule schedule, Recompute recompute, int microBatchSize,
                          int sequenceLength, int microBatches, int[] stageLayers, TokenDispatcher dispatcher,
                          boolean epOverlap) {
        this(gpus, gpusPerNode, tp, pp, vp, cp, dp, ep, etp, edp, sequenceParallel, distributedOptimizer, fsdp, schedule,
                recompute, microBatchSize, sequenceLength, microBatches, stageLayers, dispatcher, epOverlap,
                dispatcher.defaultCommSms());
    }

    /** Validates {@code p} and {@code t} for {@code model} on {@code cluster}. */
    public static ParallelLayout of(ParallelismSpec p, TrainingSpec t, ModelSpec model, ClusterSpec cluster) {
        int gpus = cluster.gpuCount();
        int tp = p.tp();
        int pp = p.pp();
        int vp = p.vp();
        int cp = p.cp();
        int ep = p.ep();
        int etp = p.etp();
        int modelParallel = tp * pp * cp;
        if (gpus % modelParallel != 0) {
            throw new SpecViolation("parallelism", "tp x pp x cp = " + tp + " x " + pp + " x " + cp + " = "
                    + modelParallel + " must divide the cluster's " + gpus + " GPUs");
        }
        int dp = gpus / modelParallel;
        if (vp > 1 && pp == 1) {
            throw new SpecViolation("parallelism.vp", "must be 1 when pp = 1 (virtual stages split pipeline ranks), got "
                    + vp);
        }
        int[] stageLayers = stageLayers(p, model.layers());
        int heads = model.attention().heads();
        if (heads % tp != 0) {
            throw new SpecViolation("parallelism.tp", "must divide attention.heads (" + heads + "), got " + tp);
        }
        if (p.sequenceParallel() && tp == 1) {
            throw new SpecViolation("parallelism.sequenceParallel", "needs tp > 1 (it splits the tensor-parallel "
                    + "group's activations), got tp = 1");
        }
        if (model.isDense() && etp * ep > 1) {
            throw new SpecViolation(etp > 1 ? "parallelism.etp" : "parallelism.ep", "must be 1 for a dense model "
                    + "(no moe section: no experts to spread), got " + (etp > 1 ? etp : ep));
        }
        int denseFold = tp * cp * dp;
        if (denseFold % (etp * ep) != 0) {
            throw new SpecViolation("parallelism.ep", "etp x ep = " + etp + " x " + ep + " = " + etp * ep
                    + " must divide tp x cp x dp = " + denseFold + " (the MoE part folds over the same GPUs)");
        }
        int expertGroup = etp * ep;
        int gpusPerNode = cluster.gpusPerNode();
        if (expertGroup > gpusPerNode ? expertGroup % gpusPerNode != 0 : gpusPerNode % expertGroup != 0) {
            throw new SpecViolation("parallelism.ep", "etp x ep = " + expertGroup + " must divide, or be a multiple "
                    + "of, the " + gpusPerNode + " GPUs of a node (EP groups are blocks of consecutive GPUs)");
        }
        int experts = model.isDense() ? 1 : model.moe().expertCount();
        if (experts % ep != 0) {
            throw new SpecViolation("parallelism.ep", "must divide the model's " + experts + " routed experts, got "
                    + ep);
        }
        for (ExpertShape e : model.isDense() ? List.<ExpertShape>of() : model.moe().expertShapes()) {
            if (e.hidden() % etp != 0) {
                throw new SpecViolation("parallelism.etp", "must divide every expert's hidden size (expert "
                        + e.index() + " has " + e.hidden() + "), got " + etp);
            }
        }
        if (cp > 1 && t.sequenceLength() % (2 * cp) != 0) {
            throw new SpecViolation("training.sequenceLength", "must be a multiple of 2 x cp = " + 2 * cp
                    + " (load-balanced causal context parallel), got " + t.sequenceLength());
        }
        int perStep = t.microBatchSize() * dp;
        if (t.globalBatchSize() % perStep != 0) {
            throw new SpecViolation("training.globalBatchSize", "must be a multiple of microBatchSize x dp = "
                    + t.microBatchSize() + " x " + dp + " = " + perStep + ", got " + t.globalBatchSize());
        }
        int microBatches = t.globalBatchSize() / perStep;
        PipelineSchedule schedule = t.pipelineSchedule() != null ? t.pipelineSchedule()
                : vp > 1 ? PipelineSchedule.INTERLEAVED : PipelineSchedule.ONE_F_ONE_B;
        if (schedule == PipelineSchedule.INTERLEAVED && vp == 1) {
            throw new SpecViolation("training.pipelineSchedule", "interleaved needs parallelism.vp > 1, got vp = 1");
        }
        if (schedule == PipelineSchedule.ONE_F_ONE_B && vp > 1) {
            throw new SpecViolation("training.pipelineSchedule", "must be interleaved when parallelism.vp > 1, got 1f1b");
        }
        if (schedule == PipelineSchedule.INTERLEAVED && microBatches % pp != 0) {
            throw new SpecViolation("training.globalBatchSize", "gives " + microBatches + " micro-batches per pipeline;"
                    + " the interleaved schedule needs a multiple of pp = " + pp);
        }
        int sms = cluster.gpu().smCount();
        if (p.commSms() >= sms) {
            throw new SpecViolation("parallelism.commSms", "must be below the " + sms + " SMs of a "
                    + cluster.gpu().name() + " (the compute needs some), got " + p.commSms());
        }
        return new ParallelLayout(gpus, cluster.gpusPerNode(), tp, pp, vp, cp, dp, ep, etp,
                denseFold / (etp * ep), p.sequenceParallel(), p.distributedOptimizer(), p.fsdp(), schedule,
                t.recompute(), t.microBatchSize(), t.sequenceLength(), microBatches, stageLayers, p.dispatcher(),
                p.epOverlap() && ep * etp > 1, p.commSms());
    }

    private static int[] stageLayers(ParallelismSpec p, int layers) {
        int pp = p.pp();
        int first = p.firstStageLayers();
        int last = p.lastStageLayers();
        int[] out = new int[pp];
        int embeddingSlot = p.embeddingInPipelineSplit() ? 1 : 0;
        int lossSlot = p.lossInPipelineSplit() ? 1 : 0;
        if (embeddingSlot + lossSlot > 0) {
            return splitWithEmbeddingAndLoss(p, layers, embeddingSlot, lossSlot);
        }
        if (first == 0 && last == 0) {
            int slots = pp * p.vp();
            if (layers % slots != 0) {
                throw new SpecViolation("parallelism.pp", "pp x vp = " + pp + " x " + p.vp() + " = " + slots
                        + " must divide model.layers (" + layers + "); or set firstStageLayers / lastStageLayers");
            }
            Arrays.fill(out, layers / pp);
            return out;
        }
        if (p.vp() > 1) {
            throw new SpecViolation("parallelism.firstStageLayers", "uneven stages need vp = 1, got vp = " + p.vp());
        }
        int fixed = (first > 0 ? 1 : 0) + (last > 0 ? 1 : 0);
        if (pp <= fixed) {
            throw new SpecViolation("parallelism.pp", "must be > " + fixed + " to give first/last stages their own "
                    + "layer counts, got " + pp);
        }
        int rest = layers - first - last;
        int middle = pp - fixed;
        if (rest <= 0 || rest % middle != 0) {
            throw new SpecViolation("parallelism.firstStageLayers", "model.layers (" + layers + ") minus "
                    + "firstStageLayers (" + first + ") and lastStageLayers (" + last + ") = " + rest
                    + " must split evenly over the other " + middle + " stages");
        }
        Arrays.fill(out, rest / middle);
        if (first > 0) {
            out[0] = first;
        }
        if (last > 0) {
            out[pp - 1] = last;
        }
        return out;
    }

    /**
     * Megatron's split that counts the embedding and/or the loss as a layer: (layers + slots) / (pp x vp)
     * per virtual stage, the first virtual stage giving one to the embedding and the last one to the loss.
     */
    private static int[] splitWithEmbeddingAndLoss(ParallelismSpec p, int layers, int embeddingSlot, int lossSlot) {
        String key = p.embeddingInPipelineSplit() ? "parallelism.embeddingInPipelineSplit"
                : "parallelism.lossInPipelineSplit";
        if (p.firstStageLayers() > 0 || p.lastStageLayers() > 0) {
            throw new SpecViolation(key, "cannot be combined with firstStageLayers / lastStageLayers");
        }
        int pp = p.pp();
        int slots = pp * p.vp();
        int total = layers + embeddingSlot + lossSlot;
        if (total % slots != 0) {
            throw new SpecViolation(key, "model.layers (" + layers + ") + " + (embeddingSlot + lossSlot)
                    + " = " + total + " must be a multiple of pp x vp = " + pp + " x " + p.vp() + " = " + slots);
        }
        int[] out = new int[pp];
        Arrays.fill(out, total / pp);
        out[0] -= embeddingSlot;
        out[pp - 1] -= lossSlot;
        for (int s = 0; s < pp; s++) {
            if (out[s] <= 0) {
                throw new SpecViolation(key, "leaves pipeline stage " + s + " without a decoder layer ("
                        + layers + " layers over pp x vp = " + slots + ")");
            }
        }
        return out;
    }

    /** Layers of pipeline rank {@code stage}. */
    public int layersOf(int stage) {
        return stageLayers[stage];
    }

    /** First decoder layer of pipeline rank {@code stage} (virtual stages aside). */
    public int firstLayerOf(int stage) {
        int l = 0;
        for (int s = 0; s < stage; s++) {
            l += stageLayers[s];
        }
        return l;
    }

    /** Nodes one EP group spans (EP groups are blocks of etp x ep consecutive GPUs). */
    public int nodesPerExpertGroup() {
        return Math.max(1, (etp * ep + gpusPerNode - 1) / gpusPerNode);
    }

    /** GPUs per node inside one EP group. */
    public int expertGroupGpusPerNode() {
        return Math.min(ep, Math.max(1, gpusPerNode / etp));
    }

    /** Whether the data-parallel group of the dense weights (stride tp x cp) leaves the node. */
    public boolean dataParallelCrossesNodes() {
        return (long) tp * cp * dp > gpusPerNode;
    }

    /** Sequences of one micro-batch times its length, split by context parallelism: tokens a rank sees. */
    public long tokensPerMicroBatchPerRank() {
        return (long) microBatchSize * sequenceLength / cp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParallelLayout l && gpus == l.gpus && gpusPerNode == l.gpusPerNode && tp == l.tp
                && pp == l.pp && vp == l.vp && cp == l.cp && dp == l.dp && ep == l.ep && etp == l.etp && edp == l.edp
                && sequenceParallel == l.sequenceParallel && distributedOptimizer == l.distributedOptimizer
                && fsdp == l.fsdp && schedule == l.schedule && recompute == l.recompute
                && microBatchSize == l.microBatchSize && sequenceLength == l.sequenceLength
                && microBatches == l.microBatches && Arrays.equals(stageLayers, l.stageLayers)
                && dispatcher == l.dispatcher && epOverlap == l.epOverlap && commSms == l.commSms;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(gpus, tp, pp, vp, cp, dp, ep, etp, edp, schedule, recompute, microBatches,
                dispatcher, epOverlap, commSms)
                + Arrays.hashCode(stageLayers);
    }

    @Override
    public String toString() {
        return "tp" + tp + " pp" + pp + (vp > 1 ? " vp" + vp : "") + " cp" + cp + " dp" + dp + " ep" + ep
                + (etp > 1 ? " etp" + etp : "") + " edp" + edp + (sequenceParallel ? " sp" : "")
                + (fsdp ? " fsdp" : distributedOptimizer ? " distopt" : "")
                + (dispatcher == TokenDispatcher.ALLTOALL && ep * etp > 1 ? " a2a" : "")
                + (epOverlap ? " ep-overlap" : "");
    }
}
