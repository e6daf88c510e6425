package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.MoeLayerSpec;

/** What a MoE layer's token exchange moves under the layout's {@link TokenDispatcher}. */
final class DispatchTraffic {
    private final ParallelLayout layout;
    private final MoeLayerSpec moe;
    private final int maxNodesPerToken;

    /** {@code moe} null for a dense model (nothing is exchanged). */
    DispatchTraffic(ParallelLayout layout, MoeLayerSpec moe, int maxNodesPerToken) {
        this.layout = layout;
        this.moe = moe;
        this.maxNodesPerToken = maxNodesPerToken;
    }

    /**
     * Copies of one token the dispatch puts on NVLink and on the NIC: {NVLink, NIC}. DeepEP sends
     * one per distinct destination GPU (those on other nodes cross the NIC once per node, then
     * NVLink); Megatron's all-to-all sends each of the top-k rows straight to its expert's GPU.
     */
    double[] wireCopiesPerToken() {
        int ranks = layout.ep();
        int topK = moe.routedExpertsPerToken();
        if (layout.dispatcher() == TokenDispatcher.ALLTOALL) {
            int perNode = ranks / layout.nodesPerExpertGroup();
            return new double[] {(double) topK * (perNode - 1) / ranks, (double) topK * (ranks - perNode) / ranks};
        }
        ExpertDispatch d = new ExpertDispatch(ranks, layout.nodesPerExpertGroup(), moe.expertCount(), topK,
                maxNodesPerToken);
        return new double[] {d.nvlinkCopies(), d.remoteNodeCopies()};
    }

    /**
     * Passes over the token copies that reorder them, forward: the permutation into expert order,
     * and with Megatron's all-to-all and several local experts the regrouping by local expert after
     * the dispatch (sort_chunks_by_idxs) and its inverse before the combine.
     */
    int permutePasses() {
        boolean regroups = moe != null && layout.dispatcher() == TokenDispatcher.ALLTOALL && layout.ep() > 1
                && moe.expertCount() / layout.ep() > 1;
        return regroups ? 3 : 1;
    }
}
