package org.mohge.costmodel.parallel;

/**
 * The ranks a ring collective runs over: {@code ranks} in all, {@code ranksPerNode} of them on each
 * node the group spans. NCCL builds one ring per channel and sends each channel's node crossing
 * through another member's NIC, so a group with k members per node crosses nodes at k NICs' rate.
 */
public record RingGroup(int ranks, int ranksPerNode) {
    public RingGroup {
        if (ranks < 1 || ranksPerNode < 1 || ranksPerNode > ranks) {
            throw new IllegalArgumentException("a ring group needs 1 <= ranksPerNode <= ranks, got " + ranksPerNode
                    + " of " + ranks);
        }
    }

    /**
     * The group of {@code ranks} members spaced {@code stride} apart in rank order (Megatron numbers
     * tp fastest, then cp, ep, dp, pp) on nodes of {@code gpusPerNode} GPUs.
     */
    public static RingGroup strided(int ranks, int stride, int gpusPerNode) {
        return new RingGroup(ranks, Math.max(1, Math.min(ranks, gpusPerNode / stride)));
    }

    public boolean crossesNodes() {
        return ranks > ranksPerNode;
    }
}
