package org.mohge.costmodel.parallel;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a training step's MoE layer moves tokens to their experts' GPUs, which decides the bytes on
 * the wire.
 *
 * <ul>
 *   <li>{@code DEEPEP}: DeepEP's (and HybridEP's) kernels send a token once per distinct destination
 *       GPU and, across nodes, once per distinct destination node ({@link ExpertDispatch}); under an
 *       FP8 recipe the dispatch travels in FP8 with its scales.</li>
 *   <li>{@code ALLTOALL}: Megatron-Core's MoEAlltoAllTokenDispatcher (token_dispatcher.py): the
 *       permutation makes one row per (token, expert) pair, and {@code torch.distributed.all_to_all}
 *       sends every row to its expert's GPU in the activation dtype (bf16), with no deduplication.
 *       With more than one local expert the received rows are regrouped by expert
 *       (sort_chunks_by_idxs) after the dispatch and back before the combine: two more passes over
 *       the rows.</li>
 * </ul>
 */
public enum TokenDispatcher {
    @JsonProperty("deepep") DEEPEP,
    @JsonProperty("alltoall") ALLTOALL;

    /**
     * SMs the exchange kernels hold while they run, unless the scenario says ({@code parallelism.commSms}):
     * DeepEP's 20, the default Megatron-Core gave it (transformer_config.py moe_deepep_num_sms,
     * "historical default 20", Megatron-LM d98e8a6); none for the all-to-all, whose NCCL kernels
     * take as many channels as NCCL picks for the call, which no published figure states for these
     * exchanges.
     */
    public int defaultCommSms() {
        return this == DEEPEP ? 20 : 0;
    }
}
