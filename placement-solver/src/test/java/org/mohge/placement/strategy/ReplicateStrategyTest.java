package org.mohge.placement.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;

class ReplicateStrategyTest {

    private static List<Integer> gpusOf(Placement p, int expert) {
        return p.experts().get(expert).replicas().stream().map(ExpertReplica::gpu).toList();
    }

    @Test
    void spareSlotGoesToTheMostLoadedExpertThenCopiesPackHeaviestFirst() {
        // Per-copy time with 1 and 2 copies: e0 10 / 6, e1 4 / 2.5, e2 3 / 2. One spare slot: e0
        // has the highest time per copy (10), so it gets 2 copies. Copies: 6, 6, 4, 3; four copies
        // on 2 GPUs = 2 per GPU. 6 -> g0; 6 -> g1 (g0 already holds e0); 4 -> g0 (6 = 6, lower
        // index); 3 -> g1 (g0 full). Loads g0 = 10, g1 = 9.
        CopyCostTable costs = new CopyCostTable(2, new double[][] {{10, 6}, {4, 2.5}, {3, 2}},
                new double[][] {{1, 1}, {1, 1}, {1, 1}}, 100, 0, PlacementProblem.UNLIMITED, 1);
        assertThat(ReplicateStrategy.replicaCounts(costs)).containsExactly(2, 1, 1);
        Placement p = ReplicateStrategy.pack(costs, ReplicateStrategy.replicaCounts(costs));
        assertThat(gpusOf(p, 0)).containsExactly(0, 1);
        assertThat(gpusOf(p, 1)).containsExactly(0);
        assertThat(gpusOf(p, 2)).containsExactly(1);
        assertThat(p.experts().get(0).replicas().get(0).share()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void moreSpareSlotsGoOneAtATimeByTimePerCopy() {
        // e0: 12 / 7 / 5 per copy with 1 / 2 / 3 copies; e1: 8 / 4.5 / 3.5. Slots: 12 (e0) -> e0
        // has 7; then 8 (e1) > 7 -> e1 has 4.5; then 7 (e0) -> e0 has 5 with 3 copies.
        CopyCostTable costs = new CopyCostTable(3, new double[][] {{12, 7, 5}, {8, 4.5, 3.5}},
                new double[][] {{1, 1, 1}, {1, 1, 1}}, 100, 0, PlacementProblem.UNLIMITED, 3);
        assertThat(ReplicateStrategy.replicaCounts(costs)).containsExactly(3, 2);
    }

    @Test
    void heaviestCopyAvoidsAGpuWithoutHbmRoom() {
        // Budget 10 per GPU, 2 per GPU. Times/bytes: e0 10/4, e1 9/6, e2 8/5, e3 1/1.
        // 10 -> g0 (4 B); 9 -> g1 (6 B); 8 would go to g1 (9 < 10) but 6 + 5 > 10, so g0 (4 + 5 = 9);
        // 1 -> g1. Without the HBM rule e2 would share g1 with e1.
        CopyCostTable costs = new CopyCostTable(2, new double[][] {{10}, {9}, {8}, {1}},
                new double[][] {{4}, {6}, {5}, {1}}, 10, 0, PlacementProblem.UNLIMITED, 0);
        Placement p = ReplicateStrategy.pack(costs, new int[] {1, 1, 1, 1});
        assertThat(gpusOf(p, 2)).containsExactly(0);
        assertThat(gpusOf(p, 3)).containsExactly(1);
    }

    @Test
    void neverTwoCopiesOfAnExpertOnOneGpuAndMemoryHeldWhenItCanBe() {
        SplittableRandom random = new SplittableRandom(42);
        for (int instance = 0; instance < 30; instance++) {
            int gpus = 2 + random.nextInt(7);
            int experts = gpus + random.nextInt(3 * gpus);
            int spare = random.nextInt(2 * gpus);
            int maxCopies = Math.min(gpus, 1 + spare);
            double[][] time = new double[experts][maxCopies];
            double[][] bytes = new double[experts][maxCopies];
            double totalBytes = 0;
            for (int e = 0; e < experts; e++) {
                double t = 1 + random.nextDouble() * 100;
                double b = 1 + random.nextInt(10);
                for (int r = 1; r <= maxCopies; r++) {
                    time[e][r - 1] = t / r * 1.05;
                    bytes[e][r - 1] = b;
                }
                totalBytes += b * maxCopies;
            }
            // A budget so generous that every GPU can hold every copy it gets: memory must hold.
            CopyCostTable costs = new CopyCostTable(gpus, time, bytes, totalBytes, 0, PlacementProblem.UNLIMITED,
                    spare);
            int[] counts = ReplicateStrategy.replicaCounts(costs);
            Placement p = ReplicateStrategy.pack(costs, counts);
            int copies = 0;
            for (ExpertPlacement e : p.experts()) {
                Set<Integer> distinct = new HashSet<>();
                e.replicas().forEach(r -> distinct.add(r.gpu()));
                assertThat(distinct).hasSize(e.replicas().size());
                assertThat(e.replicas()).hasSize(counts[e.expert()]);
                copies += e.replicas().size();
            }
            assertThat(copies).isEqualTo(experts + Math.min(spare, experts * (maxCopies - 1)));
            int perGpu = (copies + gpus - 1) / gpus;
            for (int c : p.copiesPerGpu()) {
                assertThat(c).isLessThanOrEqualTo(perGpu);
            }
            List<List<HeldCopy>> byGpu = p.copiesByGpu();
            for (List<HeldCopy> held : byGpu) {
                double used = held.stream().mapToDouble(h -> bytes[h.expert()][counts[h.expert()] - 1]).sum();
                assertThat(used).isLessThanOrEqualTo(totalBytes);
            }
        }
    }

    @Test
    void tightMemoryIsRespectedWheneverAFeasiblePackingIsFound() {
        // 4 GPUs, 8 experts of 3 bytes each, budget 6 bytes: exactly 2 per GPU fit, and the count
        // rule (ceil(8 / 4) = 2) already enforces it; memory must never be exceeded.
        double[][] time = new double[8][1];
        double[][] bytes = new double[8][1];
        for (int e = 0; e < 8; e++) {
            time[e][0] = 10 - e;
            bytes[e][0] = 3;
        }
        CopyCostTable costs = new CopyCostTable(4, time, bytes, 6, 0, PlacementProblem.UNLIMITED, 0);
        Placement p = ReplicateStrategy.pack(costs, new int[] {1, 1, 1, 1, 1, 1, 1, 1});
        assertThat(p.copiesPerGpu()).containsExactly(2, 2, 2, 2);
        // Heaviest first, least loaded: 10, 9, 8, 7 on g0..g3, then 6 -> g3 (7), 5 -> g2 (8),
        // 4 -> g1 (9), 3 -> g0 (10): every GPU ends at 13.
        assertThat(gpusOf(p, 4)).containsExactly(3);
        assertThat(gpusOf(p, 7)).containsExactly(0);
    }
}
