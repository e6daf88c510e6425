package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The closed forms against a brute-force count over drawn routings (a second, naive implementation). */
class ExpertDispatchTest {

    /** Means of distinct GPUs, distinct nodes, remote nodes and NVLink copies over {@code draws} tokens. */
    private static double[] bruteForce(int ranks, int nodes, int experts, int topK, int maxNodes, int draws) {
        SplittableRandom rng = new SplittableRandom(7);
        int perGpu = experts / ranks;
        int perNode = experts / nodes;
        int gpusPerNode = ranks / nodes;
        double gpusSum = 0;
        double nodesSum = 0;
        double remoteSum = 0;
        double nvlinkSum = 0;
        for (int t = 0; t < draws; t++) {
            int sender = rng.nextInt(ranks);
            boolean[] nodeAllowed = new boolean[nodes];
            int allowed = 0;
            while (allowed < maxNodes) {
                int n = rng.nextInt(nodes);
                if (!nodeAllowed[n]) {
                    nodeAllowed[n] = true;
                    allowed++;
                }
            }
            boolean[] picked = new boolean[experts];
            int k = 0;
            while (k < topK) {
                int e = rng.nextInt(experts);
                if (nodeAllowed[e / perNode] && !picked[e]) {
                    picked[e] = true;
                    k++;
                }
            }
            boolean[] gpuHit = new boolean[ranks];
            boolean[] nodeHit = new boolean[nodes];
            for (int e = 0; e < experts; e++) {
                if (picked[e]) {
                    gpuHit[e / perGpu] = true;
                    nodeHit[e / perNode] = true;
                }
            }
            for (int g = 0; g < ranks; g++) {
                if (gpuHit[g]) {
                    gpusSum++;
                    if (g != sender) {
                        nvlinkSum++;
                    }
                }
            }
            for (int n = 0; n < nodes; n++) {
                if (nodeHit[n]) {
                    nodesSum++;
                    if (n != sender / gpusPerNode) {
                        remoteSum++;
                    }
                }
            }
        }
        return new double[] {gpusSum / draws, nodesSum / draws, remoteSum / draws, nvlinkSum / draws};
    }

    private static void agrees(ExpertDispatch d, double[] counted) {
        assertThat(d.distinctGpus()).isCloseTo(counted[0], within(0.01 * counted[0]));
        assertThat(d.distinctNodes()).isCloseTo(counted[1], within(0.01 * counted[1]));
        assertThat(d.remoteNodeCopies()).isCloseTo(counted[2], within(0.01 * counted[2]));
        assertThat(d.nvlinkCopies()).isCloseTo(counted[3], within(0.01 * counted[3]));
    }

    @Test
    void deepSeekNodeLimitedRoutingMatchesDrawnCounts() {
        // EP64 over 8 nodes, 256 experts, top-8, at most 4 nodes per token.
        agrees(new ExpertDispatch(64, 8, 256, 8, 4), bruteForce(64, 8, 256, 8, 4, 200_000));
    }

    @Test
    void unlimitedRoutingMatchesDrawnCounts() {
        agrees(new ExpertDispatch(16, 2, 64, 6, 0), bruteForce(16, 2, 64, 6, 2, 200_000));
    }

    @Test
    void oneNodeByHand() {
        // 8 GPUs, 64 experts (8 each), top-8: a GPU is missed with probability C(56,8)/C(64,8)
        // = (56 x 55 x ... x 49) / (64 x 63 x ... x 57) = 0.32093...
        double miss = 1;
        for (int i = 0; i < 8; i++) {
            miss *= (56.0 - i) / (64 - i);
        }
        ExpertDispatch d = new ExpertDispatch(8, 1, 64, 8, 0);
        assertThat(miss).isCloseTo(0.32093, within(1e-5));
        assertThat(d.distinctGpus()).isCloseTo(8 * (1 - miss), within(1e-12));
        assertThat(d.remoteNodeCopies()).isZero();
        // Every token sent once per destination rather than once per expert: about 5.43 copies instead of 8.
        assertThat(d.distinctGpus()).isLessThan(8);
    }
}
