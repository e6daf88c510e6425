package org.mohge.costmodel.parallel;

/**
 * Expected destinations of one token's dispatch inside an EP group of {@code ranks} GPUs on
 * {@code nodes} nodes holding {@code experts} experts (contiguous blocks per GPU and node), when
 * a token picks {@code topK} distinct experts uniformly (balanced routing) and, with node-limited
 * routing, first {@code maxNodes} distinct nodes uniformly and then its experts among theirs
 * (DeepSeek-V3). A token is sent once per distinct destination GPU (DeepEP's count) and, across
 * nodes, once per distinct destination node (then forwarded inside that node over NVLink).
 *
 * <p>For a set of c candidate experts of which a block of size w lies on one GPU or node, the
 * block is hit with probability 1 - C(c - w, k) / C(c, k).
 */
public record ExpertDispatch(int ranks, int nodes, int experts, int topK, int maxNodes) {

    public ExpertDispatch {
        if (ranks % nodes != 0 || experts % ranks != 0) {
            throw new IllegalArgumentException("EP group of " + ranks + " GPUs on " + nodes + " nodes with "
                    + experts + " experts does not split evenly");
        }
        maxNodes = maxNodes <= 0 ? nodes : Math.min(maxNodes, nodes);
    }

    /** Expected distinct GPUs a token is sent to (its own GPU included when chosen). */
    public double distinctGpus() {
        int candidates = candidateExperts();
        return (double) maxNodes * (ranks / nodes) * hit(candidates, experts / ranks, topK);
    }

    /** Expected distinct nodes a token is sent to (its own node included when chosen). */
    public double distinctNodes() {
        return maxNodes * hit(candidateExperts(), experts / nodes, topK);
    }

    /** Expected copies that stay on the sending GPU (no transfer). */
    public double selfCopies() {
        return distinctGpus() / ranks;
    }

    /** Expected copies that cross to another node (once per destination node). */
    public double remoteNodeCopies() {
        return distinctNodes() * (nodes - 1) / nodes;
    }

    /**
     * Expected NVLink copies per token: distinct destination GPUs other than the sender; those on
     * other nodes arrive over the NIC at the peer GPU and are forwarded over that node's NVLink.
     */
    public double nvlinkCopies() {
        return distinctGpus() - selfCopies();
    }

    private int candidateExperts() {
        return maxNodes * (experts / nodes);
    }

    /** 1 - C(c - w, k) / C(c, k): a block of w of c candidates holds at least one of k picks. */
    static double hit(int c, int w, int k) {
        if (k > c) {
            throw new IllegalArgumentException("topK " + k + " exceeds the " + c + " candidate experts");
        }
        double miss = 1;
        for (int i = 0; i < k; i++) {
            miss *= (double) (c - w - i) / (c - i);
            if (miss <= 0) {
                return 1;
            }
        }
        return 1 - miss;
    }
}
