package org.mohge.placement.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;

class GreedyStrategyTest {

    /** One copy per expert, no spare slots: times and bytes given by hand. */
    static CopyCostTable table(int gpus, double[] times, double[] bytes, double budget, int maxPerGpu) {
        double[][] t = new double[times.length][1];
        double[][] b = new double[times.length][1];
        for (int e = 0; e < times.length; e++) {
            t[e][0] = times[e];
            b[e][0] = bytes[e];
        }
        return new CopyCostTable(gpus, t, b, budget, 0, maxPerGpu, 0);
    }

    private static int gpuOf(Placement p, int expert) {
        return p.experts().get(expert).replicas().get(0).gpu();
    }

    @Test
    void heaviestFirstOntoTheLeastLoadedGpu() {
        // Times 7, 5, 4, 3 on 2 GPUs, by hand: 7 -> g0 (both empty, lower index); 5 -> g1 (0 < 7);
        // 4 -> g1 (5 < 7), g1 = 9; 3 -> g0 (7 < 9), g0 = 10. Max 10.
        CopyCostTable costs = table(2, new double[] {7, 5, 4, 3}, new double[] {1, 1, 1, 1}, 100,
                PlacementProblem.UNLIMITED);
        Placement p = GreedyStrategy.pack(costs);
        assertThat(new int[] {gpuOf(p, 0), gpuOf(p, 1), gpuOf(p, 2), gpuOf(p, 3)}).containsExactly(0, 1, 1, 0);
        assertThat(p.strategy()).isEqualTo("greedy");
    }

    @Test
    void expertsGoInDecreasingTimeWhateverTheirIndex() {
        // Same times listed 3, 4, 5, 7: 7 (e3) -> g0, 5 (e2) -> g1, 4 (e1) -> g1, 3 (e0) -> g0.
        CopyCostTable costs = table(2, new double[] {3, 4, 5, 7}, new double[] {1, 1, 1, 1}, 100,
                PlacementProblem.UNLIMITED);
        Placement p = GreedyStrategy.pack(costs);
        assertThat(new int[] {gpuOf(p, 0), gpuOf(p, 1), gpuOf(p, 2), gpuOf(p, 3)}).containsExactly(0, 1, 1, 0);
    }

    @Test
    void skipsAGpuWithoutHbmRoom() {
        // Bytes 4, 1, 1, 1 with 4.5 per GPU: the last expert (3) would go to g0 (load 7 < 9), but
        // g0 already holds 4 bytes and 4 + 1 > 4.5, so it goes to g1 (bytes 2 + 1 = 3).
        CopyCostTable costs = table(2, new double[] {7, 5, 4, 3}, new double[] {4, 1, 1, 1}, 4.5,
                PlacementProblem.UNLIMITED);
        Placement p = GreedyStrategy.pack(costs);
        assertThat(gpuOf(p, 3)).isEqualTo(1);
        assertThat(gpuOf(p, 0)).isEqualTo(0);
    }

    @Test
    void respectsMaxExpertsPerGpu() {
        // Times 7, 1, 1, 1 on 2 GPUs with at most 2 per GPU: 7 -> g0, then the 1s would all go to
        // g1 (1 < 7, 2 < 7) but g1 is full after two, so the last one goes to g0.
        CopyCostTable costs = table(2, new double[] {7, 1, 1, 1}, new double[] {1, 1, 1, 1}, 100, 2);
        Placement p = GreedyStrategy.pack(costs);
        assertThat(new int[] {gpuOf(p, 0), gpuOf(p, 1), gpuOf(p, 2), gpuOf(p, 3)}).containsExactly(0, 1, 1, 0);
        assertThat(p.copiesPerGpu()).containsExactly(2, 2);
    }
}
