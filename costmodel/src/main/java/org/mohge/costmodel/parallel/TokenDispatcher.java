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
    @JsonProperty("alltoall") ALLTOALL
}
