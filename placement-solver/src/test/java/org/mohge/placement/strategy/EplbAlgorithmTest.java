package org.mohge.placement.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EplbAlgorithmTest {

    /**
     * The example of DeepSeek's EPLB README (github.com/deepseek-ai/EPLB, README.md, "Example"):
     * two MoE layers of 12 experts in 4 groups, 16 replicas, 2 nodes, 8 GPUs; the README prints
     * {@code phy2log} as
     * <pre>
     * [[ 5,  6,  5,  7,  8,  4,  3,  4, 10,  9, 10,  2,  0,  1, 11,  1],
     *  [ 7, 10,  6,  8,  6, 11,  8,  9,  2,  4,  5,  1,  5,  0,  3,  1]]
     * </pre>
     */
    @Test
    void reproducesTheReadmeExample() {
        double[][] weight = {
            {90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86},
            {20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27}};
        int[][] published = {
            {5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1},
            {7, 10, 6, 8, 6, 11, 8, 9, 2, 4, 5, 1, 5, 0, 3, 1}};
        for (int layer = 0; layer < 2; layer++) {
            EplbAlgorithm.Plan plan = EplbAlgorithm.rebalance(weight[layer], 16, 4, 2, 8);
            assertThat(plan.physicalToLogical()).as("layer " + layer).containsExactly(published[layer]);
            // two physical slots per GPU, numbered GPU by GPU
            assertThat(plan.gpuOf()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        }
    }

    /** Hand-checked: weights 10, 4, 3, 1 on 2 packs of 2: 10 to pack 0, 4 to pack 1, 3 to pack 1, 1 to pack 0. */
    @Test
    void balancedPackingPutsTheHeaviestOnTheLightestPackWithRoom() {
        EplbAlgorithm.Packing packing = EplbAlgorithm.balancedPacking(new double[] {3, 10, 1, 4}, 2);
        assertThat(packing.pack()).containsExactly(1, 0, 0, 1);
        assertThat(packing.rankInPack()).containsExactly(1, 0, 1, 0);
    }

    /** Hand-checked: loads 9, 4, 1 in 5 slots: 9 -> 2 copies (4.5), then 4.5 > 4 -> 3 copies (3). */
    @Test
    void replicateGivesEachSpareSlotToTheHighestLoadPerReplica() {
        EplbAlgorithm.Plan plan = EplbAlgorithm.replicate(new double[] {9, 4, 1}, 5);
        assertThat(plan.logicalCount()).containsExactly(3, 1, 1);
        assertThat(plan.physicalToLogical()).containsExactly(0, 1, 2, 0, 0);
        assertThat(plan.replicaRank()).containsExactly(0, 0, 0, 1, 2);
    }
}
