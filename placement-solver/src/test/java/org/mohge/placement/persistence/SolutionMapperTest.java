package org.mohge.placement.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.evaluation.CopyCostTable;

class SolutionMapperTest {
    /** 3 experts on 3 GPUs, 2 spare slots; times 9/5/4 (e0), 6/4/3 (e1), 1/1/1 (e2) by copy count. */
    private static final CopyCostTable COSTS = new CopyCostTable(3,
            new double[][] {{9, 5, 4}, {6, 4, 3}, {1, 1, 1}},
            new double[][] {{3 << 20, 3 << 20, 3 << 20}, {1 << 20, 1 << 20, 1 << 20}, {5 << 19, 1, 1}},
            10.0 * (1 << 20), 0, PlacementProblem.UNLIMITED, 2);

    private static Placement placement() {
        return new Placement("start", 3, List.of(
                new ExpertPlacement(0, List.of(new ExpertReplica(2, 0.5), new ExpertReplica(0, 0.5))),
                ExpertPlacement.single(1, 1),
                ExpertPlacement.single(2, 1)));
    }

    @Test
    void mapsCopiesUnitsAndMemory() {
        ExpertPlacementSolution s = SolutionMapper.toSolution(COSTS, placement(), 1);
        // Total single-copy time 9 + 6 + 1 = 16 over 3 GPUs: 16/3 us is a million units.
        assertThat(s.getTimeQuantumUs()).isEqualTo(16.0 / 3 / 1e6);
        // Spare slots 2 -> the 4 heaviest experts (all 3 here) may take 1 extra copy; e0 already has 2.
        assertThat(s.getCopies()).extracting(c -> c.getExpert().getId() + "#" + c.getCopyIndex() + "@"
                + (c.getGpu() == null ? "-" : c.getGpu().getId()))
                .containsExactly("0#0@2", "0#1@0", "1#0@1", "1#1@-", "2#0@1", "2#1@-");
        // 6 us with one copy = 6 / (16/3) million units = 1,125,000; 2.5 MiB rounds up to 3 MiB.
        ExpertCopy e1 = s.getCopies().get(2);
        assertThat(e1.getExpert().timeUnits(1)).isEqualTo(1_125_000);
        assertThat(s.getCopies().get(4).getExpert().memoryMiB(1)).isEqualTo(3);
        assertThat(s.getGpus().get(0).getExpertBudgetMiB()).isEqualTo(10);
    }

    @Test
    void roundTripKeepsEveryCopyWithEqualShares() {
        Placement back = SolutionMapper.toPlacement(SolutionMapper.toSolution(COSTS, placement(), 1), "back");
        assertThat(back.experts().get(0).replicas()).extracting(ExpertReplica::gpu).containsExactly(2, 0);
        assertThat(back.experts().get(0).replicas()).extracting(ExpertReplica::share).containsExactly(0.5, 0.5);
        assertThat(back.experts().get(1).replicas()).extracting(ExpertReplica::gpu).containsExactly(1);
        assertThat(back.strategy()).isEqualTo("back");
    }

    @Test
    void anUnplacedExpertFallsBackToGpuZero() {
        ExpertPlacementSolution s = SolutionMapper.toSolution(COSTS, placement(), 1);
        s.getCopies().get(2).setGpu(null);
        Placement back = SolutionMapper.toPlacement(s, "x");
        assertThat(back.experts().get(1).replicas()).extracting(ExpertReplica::gpu).containsExactly(0);
    }
}
