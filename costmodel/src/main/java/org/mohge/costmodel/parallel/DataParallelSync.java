package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.ModelSpec;

/**
 * A pipeline stage's data-parallel gradient exchange: the gradients reduced over dp x cp (dense
 * weights) and edp (experts), reduce-scattered when the optimizer is sharded (then the updated
 * parameters all-gathered back) or all-reduced when not; and the parameters whose optimizer state
 * one rank updates.
 */
record DataParallelSync(double reduceUs, double gatherUs, double shardParams) {

    static DataParallelSync of(ModelSpec model, ParallelLayout layout, Precision precision, Collectives collectives,
                               int stage, boolean crossesNodes) {
        TrainingMemory.StageParams p = TrainingMemory.stageParams(model, layout, stage);
        boolean sharded = layout.distributedOptimizer() || layout.fsdp();
        double gradBytesDense = p.dense() * precision.grads().bytes();
        double gradBytesExpert = p.expert() * precision.grads().bytes();
        int denseGroup = layout.dp() * layout.cp();
        double reduce = sharded
                ? collectives.reduceScatterUs(gradBytesDense, denseGroup, crossesNodes)
                + collectives.reduceScatterUs(gradBytesExpert, layout.edp(), crossesNodes)
                : collectives.allReduceUs(gradBytesDense, denseGroup, crossesNodes)
                + collectives.allReduceUs(gradBytesExpert, layout.edp(), crossesNodes);
        double gather = sharded
                ? collectives.allGatherUs(p.dense() * precision.params().bytes(), denseGroup, crossesNodes)
                + collectives.allGatherUs(p.expert() * precision.params().bytes(), layout.edp(), crossesNodes)
                : 0;
        double shard = sharded ? p.dense() / denseGroup + p.expert() / layout.edp() : p.dense() + p.expert();
        return new DataParallelSync(reduce, gather, shard);
    }
}
