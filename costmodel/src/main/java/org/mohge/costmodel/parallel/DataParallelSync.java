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
                               int stage) {
        TrainingMemory.StageParams p = TrainingMemory.stageParams(model, layout, stage);
        boolean sharded = layout.distributedOptimizer() || layout.fsdp();
        double gradBytesDense = p.dense() * precision.grads().bytes();
        double gradBytesExpert = p.expert() * precision.grads().bytes();
        int denseRanks = layout.dp() * layout.cp();
        // Megatron numbers tp fastest: the dense group's members (same tp rank) lie tp apart; the
        // expert group's (etp, ep fastest in the expert fold) etp x ep apart.
        RingGroup dense = RingGroup.strided(denseRanks, layout.tp(), layout.gpusPerNode());
        RingGroup expert = RingGroup.strided(layout.edp(), layout.etp() * layout.ep(), layout.gpusPerNode());
        double reduce = sharded
                ? collectives.reduceScatterUs(gradBytesDense, dense) + collectives.reduceScatterUs(gradBytesExpert, expert)
                : collectives.allReduceUs(gradBytesDense, dense) + collectives.allReduceUs(gradBytesExpert, expert);
        double gather = sharded
                ? collectives.allGatherUs(p.dense() * precision.params().bytes(), dense)
                + collectives.allGatherUs(p.expert() * precision.params().bytes(), expert)
                : 0;
        double shard = sharded ? p.dense() / denseRanks + p.expert() / layout.edp() : p.dense() + p.expert();
        return new DataParallelSync(reduce, gather, shard);
    }
}
