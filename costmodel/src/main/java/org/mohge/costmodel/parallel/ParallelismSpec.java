package org.mohge.costmodel.parallel;

import org.mohge.costmodel.spec.Require;

/**
 * Scenario section {@code parallelism}, as Megatron names its axes: {@code tp} tensor,
 * {@code pp} pipeline, {@code vp} virtual stages per pipeline rank, {@code cp} context,
 * {@code ep} expert and {@code etp} expert-tensor parallel sizes (each default 1);
 * {@code sequenceParallel}, {@code distributedOptimizer} (ZeRO-1 over data parallel) and
 * {@code fsdp} (ZeRO-3) default false. {@code firstStageLayers} / {@code lastStageLayers} give
 * the first / last pipeline stage fewer layers (Megatron's decoder_first/last_pipeline_num_layers).
 * {@code embeddingInPipelineSplit} / {@code lossInPipelineSplit} (default false) count the embedding
 * / the LM head and loss as one layer each when the layers are split over pp x vp virtual stages, so
 * the first / last virtual stage holds one decoder layer fewer (Megatron's
 * account_for_embedding_in_pipeline_split / account_for_loss_in_pipeline_split; Llama 3.1 405B's
 * 126 layers + 2 = 128 over PP8 x VP8). {@code dispatcher} (default {@code deepep}) is how MoE tokens travel
 * to their experts ({@link TokenDispatcher}); {@code epOverlap} (default false) overlaps each MoE
 * layer's all-to-alls with the compute of another micro-batch (Megatron's
 * overlap_moe_expert_parallel_comm, Megatron-Bridge's moe_a2a_overlap). {@code commSms} is how many
 * SMs the dispatcher's exchange kernels hold while they run (default {@link TokenDispatcher#defaultCommSms});
 * with {@code epOverlap} the compute beside them runs on the rest.
 * Data parallelism is derived: dp = gpus / (tp x pp x cp); see {@link ParallelLayout}.
 */
public record ParallelismSpec(Integer tp, Integer pp, Integer vp, Integer cp, Integer ep, Integer etp,
                              Boolean sequenceParallel, Boolean distributedOptimizer, Boolean fsdp,
                              Integer firstStageLayers, Integer lastStageLayers, Boolean embeddingInPipelineSplit,
                              Boolean lossInPipelineSplit, TokenDispatcher dispatcher, Boolean epOverlap,
                              Integer commSms) {

    public ParallelismSpec {
        tp = Require.positive(Require.orDefault(tp, 1), "tp");
        pp = Require.positive(Require.orDefault(pp, 1), "pp");
        vp = Require.positive(Require.orDefault(vp, 1), "vp");
        cp = Require.positive(Require.orDefault(cp, 1), "cp");
        ep = Require.positive(Require.orDefault(ep, 1), "ep");
        etp = Require.positive(Require.orDefault(etp, 1), "etp");
        sequenceParallel = Require.orDefault(sequenceParallel, false);
        distributedOptimizer = Require.orDefault(distributedOptimizer, false);
        fsdp = Require.orDefault(fsdp, false);
        firstStageLayers = Require.nonNegative(Require.orDefault(firstStageLayers, 0), "firstStageLayers");
        lastStageLayers = Require.nonNegative(Require.orDefault(lastStageLayers, 0), "lastStageLayers");
        embeddingInPipelineSplit = Require.orDefault(embeddingInPipelineSplit, false);
        lossInPipelineSplit = Require.orDefault(lossInPipelineSplit, false);
        dispatcher = Require.orDefault(dispatcher, TokenDispatcher.DEEPEP);
        epOverlap = Require.orDefault(epOverlap, false);
        commSms = Require.nonNegative(Require.orDefault(commSms, dispatcher.defaultCommSms()), "commSms");
    }

    /** A layout whose exchange kernels hold the dispatcher's default SMs. */
    public ParallelismSpec(Integer tp, Integer pp, Integer vp, Integer cp, Integer ep, Integer etp,
                           Boolean sequenceParallel, Boolean distributedOptimizer, Boolean fsdp,
                           Integer firstStageLayers, Integer lastStageLayers, Boolean embeddingInPipelineSplit,
                           Boolean lossInPipelineSplit, TokenDispatcher dispatcher, Boolean epOverlap) {
        this(tp, pp, vp, cp, ep, etp, sequenceParallel, distributedOptimizer, fsdp, firstStageLayers, lastStageLayers,
                embeddingInPipelineSplit, lossInPipelineSplit, dispatcher, epOverlap, null);
    }

    /** A layout whose layers split over the virtual stages alone (no embedding or loss slots). */
    public ParallelismSpec(Integer tp, Integer pp, Integer vp, Integer cp, Integer ep, Integer etp,
                           Boolean sequenceParallel, Boolean distributedOptimizer, Boolean fsdp,
                           Integer firstStageLayers, Integer lastStageLayers) {
        this(tp, pp, vp, cp, ep, etp, sequenceParallel, distributedOptimizer, fsdp, firstStageLayers, lastStageLayers,
                null, null, null, null, null);
    }

    public static ParallelismSpec defaults() {
        return new ParallelismSpec(null, null, null, null, null, null, null, null, null, null, null);
    }
}
