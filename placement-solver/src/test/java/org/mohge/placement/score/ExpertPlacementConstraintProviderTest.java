package org.mohge.placement.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.placement.domain.CoActivatedPair;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertInfo;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.domain.Gpu;
import org.mohge.placement.domain.GpuTimeFunction;
import org.mohge.placement.domain.PlacementParameters;
import org.mohge.placement.solver.SolverSettings;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.constraint.ConstraintMatchTotal;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;

/**
 * One violated and one satisfied case per constraint. optaplanner-test (ConstraintVerifier) is not
 * published for OptaPlanner 10.2, so each case scores a small solution through the real solver
 * configuration and reads the named constraint's total from the score explanation.
 */
class ExpertPlacementConstraintProviderTest {
    private static final SolutionManager<ExpertPlacementSolution, HardMediumSoftLongScore> SCORES =
            SolutionManager.create(SolverFactory.create(SolverSettings.steps(1, 1).solverConfig()));

    private static final Gpu GPU0 = new Gpu(0, 0, 100, 2);
    private static final Gpu GPU1 = new Gpu(1, 0, 100, 2);

    /** Time 10 per copy with 1 copy, 6 with 2; memory 40 MiB with 1 copy, 30 with 2. */
    private static final ExpertInfo E0 = new ExpertInfo(0, new long[] {10, 6}, new long[] {40, 30});
    /** Time 4 / 3, memory 70 / 60 MiB. */
    private static final ExpertInfo E1 = new ExpertInfo(1, new long[] {4, 3}, new long[] {70, 60});
    /** Time 2 / 1, memory 20 / 20 MiB. */
    private static final ExpertInfo E2 = new ExpertInfo(2, new long[] {2, 1}, new long[] {20, 20});

    private static long penalty(String constraint, int spareSlots, ExpertCopy... copies) {
        ExpertPlacementSolution solution = new ExpertPlacementSolution(List.of(GPU0, GPU1), List.of(E0, E1, E2),
                new PlacementParameters(spareSlots, GpuTimeFunction.LINEAR), Arrays.asList(copies), 1.0);
        ConstraintMatchTotal<HardMediumSoftLongScore> total = SCORES.explain(solution).getConstraintMatchTotalMap()
                .values().stream().filter(t -> t.getConstraintName().equals(constraint)).findFirst().orElse(null);
        if (total == null) {
            return 0;
        }
        HardMediumSoftLongScore s = total.getScore();
        return -(s.hardScore() + s.mediumScore() + s.softScore());
    }

    private static ExpertCopy copy(long id, ExpertInfo expert, int index, Gpu gpu) {
        return new ExpertCopy(id, expert, index, gpu);
    }

    @Test
    void gpuMemoryCapacityPenalisesMibOverBudget() {
        // GPU0 holds E0 (40 MiB) and E1 (70 MiB) = 110 MiB against a 100 MiB budget: 10 over.
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_MEMORY_CAPACITY, 0,
                copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU0), copy(2, E2, 0, GPU1))).isEqualTo(10);
    }

    @Test
    void gpuMemoryCapacityUsesTheMemoryOfTheCopyCountHeld() {
        // E1 in two copies needs 60 MiB per copy: GPU0 = 40 (E0) + 60 = 100, GPU1 = 60 + 20 = 80: fits.
        // With one copy E1 would need 70 and GPU0 would be 110: the count matters.
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_MEMORY_CAPACITY, 1,
                copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU0), copy(2, E1, 1, GPU1), copy(3, E2, 0, GPU1)))
                .isZero();
    }

    @Test
    void gpuCopySlotsPenalisesCopiesBeyondTheCap() {
        // GPU0 holds 3 copies with a cap of 2: 1 over.
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_COPY_SLOTS, 0,
                copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU0), copy(2, E2, 0, GPU0))).isEqualTo(1);
    }

    @Test
    void gpuCopySlotsSatisfiedAtTheCap() {
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_COPY_SLOTS, 0,
                copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU0), copy(2, E2, 0, GPU1))).isZero();
    }

    @Test
    void oneCopyPerGpuPenalisesEachPairOnOneGpu() {
        // Both copies of E0 on GPU0: one pair.
        assertThat(penalty(ExpertPlacementConstraintProvider.ONE_COPY_PER_GPU, 1,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, GPU0))).isEqualTo(1);
    }

    @Test
    void oneCopyPerGpuIgnoresUnusedSpareCopies() {
        // Copies on different GPUs, and two unused spare copies (both null) that are not a pair.
        assertThat(penalty(ExpertPlacementConstraintProvider.ONE_COPY_PER_GPU, 1,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, GPU1), copy(2, E1, 0, GPU0), copy(3, E1, 1, null),
                copy(4, E1, 2, null))).isZero();
    }

    @Test
    void primaryCopyPlacedPenalisesByTheExpertMemoryPlusOne() {
        // E1's primary is unplaced: 70 MiB (its one-copy memory) + 1 = 71.
        assertThat(penalty(ExpertPlacementConstraintProvider.PRIMARY_COPY_PLACED, 0,
                copy(0, E0, 0, GPU0), copy(1, E1, 0, null))).isEqualTo(71);
    }

    @Test
    void primaryCopyPlacedIgnoresUnusedSpares() {
        assertThat(penalty(ExpertPlacementConstraintProvider.PRIMARY_COPY_PLACED, 0,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, null))).isZero();
    }

    @Test
    void spareSlotBudgetPenalisesExtraCopiesBeyondIt() {
        // Two spare copies held (E0#1, E1#1) with one spare slot: 1 over.
        assertThat(penalty(ExpertPlacementConstraintProvider.SPARE_SLOT_BUDGET, 1,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, GPU1), copy(2, E1, 0, GPU1), copy(3, E1, 1, GPU0)))
                .isEqualTo(1);
    }

    @Test
    void spareSlotBudgetSatisfiedWithinIt() {
        assertThat(penalty(ExpertPlacementConstraintProvider.SPARE_SLOT_BUDGET, 1,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, GPU1), copy(2, E1, 0, GPU1), copy(3, E1, 1, null)))
                .isZero();
    }

    @Test
    void maxGpuTimeIsTheSlowestGpu() {
        // GPU0: E0 (10) + E2 (2) = 12; GPU1: E1 (4). Medium penalty 12.
        assertThat(penalty(ExpertPlacementConstraintProvider.MAX_GPU_TIME, 0,
                copy(0, E0, 0, GPU0), copy(1, E2, 0, GPU0), copy(2, E1, 0, GPU1))).isEqualTo(12);
    }

    @Test
    void maxGpuTimeDropsWhenTheHeavyExpertIsSplit() {
        // E0 in two copies: 6 each. GPU0: 6 + 2 = 8; GPU1: 6 + 4 = 10. Max 10 (was 12 unsplit).
        assertThat(penalty(ExpertPlacementConstraintProvider.MAX_GPU_TIME, 1,
                copy(0, E0, 0, GPU0), copy(1, E0, 1, GPU1), copy(2, E2, 0, GPU0), copy(3, E1, 0, GPU1)))
                .isEqualTo(10);
    }

    @Test
    void maxGpuTimeUsesTheSolutionsGpuTimeFunction() {
        // A GPU time of 100 units per copy held plus the linear sum: GPU0 holds E0 and E2
        // (2 copies: 200 + 10 + 2 = 212), GPU1 holds E1 (100 + 4 = 104). Medium penalty 212.
        GpuTimeFunction perCopy = loads -> 100L * loads.size() + GpuTimeFunction.LINEAR.timeUnits(loads);
        ExpertPlacementSolution solution = new ExpertPlacementSolution(List.of(GPU0, GPU1), List.of(E0, E1, E2),
                new PlacementParameters(0, perCopy), List.of(copy(0, E0, 0, GPU0), copy(1, E2, 0, GPU0),
                        copy(2, E1, 0, GPU1)), 1.0);
        assertThat(SCORES.update(solution).mediumScore()).isEqualTo(-212);
    }

    @Test
    void gpuTimeSquaresSumsSquaredGpuTimes() {
        // GPU0: 12, GPU1: 4 -> 144 + 16 = 160.
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_TIME_SQUARES, 0,
                copy(0, E0, 0, GPU0), copy(1, E2, 0, GPU0), copy(2, E1, 0, GPU1))).isEqualTo(160);
    }

    @Test
    void gpuCommSquaresSumsSquaredAllToAllTimes() {
        // All-to-all units of all tokens: E0 30, E1 10 (E2 none). E0 in two copies carries 15 per
        // copy. GPU0: E0 copy (15) + E1 (10) = 25; GPU1: E0 copy (15). 625 + 225 = 850.
        ExpertInfo a = new ExpertInfo(10, new long[] {10, 6}, new long[] {1, 1});
        ExpertInfo b = new ExpertInfo(11, new long[] {4, 3}, new long[] {1, 1});
        a.setCommUnits(30);
        b.setCommUnits(10);
        ExpertPlacementSolution solution = new ExpertPlacementSolution(List.of(GPU0, GPU1), List.of(a, b),
                new PlacementParameters(1, GpuTimeFunction.LINEAR), List.of(copy(0, a, 0, GPU0), copy(1, a, 1, GPU1),
                        copy(2, b, 0, GPU0)), 1.0);
        ConstraintMatchTotal<HardMediumSoftLongScore> total = SCORES.explain(solution).getConstraintMatchTotalMap()
                .values().stream()
                .filter(t -> t.getConstraintName().equals(ExpertPlacementConstraintProvider.GPU_COMM_SQUARES))
                .findFirst().orElseThrow();
        assertThat(-total.getScore().softScore()).isEqualTo(850);
    }

    @Test
    void gpuCommSquaresIsZeroWithoutAllToAllTime() {
        // The hand-made experts above carry no all-to-all time (a single-GPU view).
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_COMM_SQUARES, 0,
                copy(0, E0, 0, GPU0), copy(1, E2, 0, GPU0), copy(2, E1, 0, GPU1))).isZero();
    }

    @Test
    void gpuTimeSquaresIsSmallerWhenBalanced() {
        // GPU0: E0 (10); GPU1: E1 + E2 (6) -> 100 + 36 = 136 < 160 for the same total work.
        assertThat(penalty(ExpertPlacementConstraintProvider.GPU_TIME_SQUARES, 0,
                copy(0, E0, 0, GPU0), copy(1, E2, 0, GPU1), copy(2, E1, 0, GPU1))).isEqualTo(136);
    }

    /** GPU0 and GPU1 on node 0 (the fixtures above), NODE1 on node 1; E0 and E1 co-activated, penalty 500. */
    private static long pairPenalty(ExpertCopy... copies) {
        // The mapper marks the experts of a pair; only their copies feed the constraint.
        E0.setCoActivated(true);
        E1.setCoActivated(true);
        ExpertPlacementSolution solution = new ExpertPlacementSolution(List.of(GPU0, GPU1, NODE1),
                List.of(E0, E1, E2), List.of(new CoActivatedPair(0, E0, E1, 500)),
                new PlacementParameters(1, GpuTimeFunction.LINEAR), Arrays.asList(copies), 1.0);
        ConstraintMatchTotal<HardMediumSoftLongScore> total = SCORES.explain(solution).getConstraintMatchTotalMap()
                .values().stream()
                .filter(t -> t.getConstraintName().equals(ExpertPlacementConstraintProvider.CO_ACTIVATED_ACROSS_NODES))
                .findFirst().orElse(null);
        return total == null ? 0 : -total.getScore().softScore();
    }

    private static final Gpu NODE1 = new Gpu(2, 1, 100, 2);

    @Test
    void coActivatedAcrossNodesPenalisesAPairSplitOverNodes() {
        // E0 on node 0, E1 on node 1: every co-activated token crosses, the full 500.
        assertThat(pairPenalty(copy(0, E0, 0, GPU0), copy(1, E1, 0, NODE1), copy(2, E2, 0, GPU1))).isEqualTo(500);
    }

    @Test
    void coActivatedAcrossNodesCountsTheShareOfCopiesOnOtherNodes() {
        // E1 in two copies, one per node: half of E0's partners are on the other node, 500 / 2 = 250.
        assertThat(pairPenalty(copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU1), copy(2, E1, 1, NODE1),
                copy(3, E2, 0, GPU1))).isEqualTo(250);
    }

    @Test
    void coActivatedAcrossNodesIgnoresAPairOnOneNode() {
        // GPU0 and GPU1 are both on node 0: no penalty although the GPUs differ.
        assertThat(pairPenalty(copy(0, E0, 0, GPU0), copy(1, E1, 0, GPU1), copy(2, E2, 0, NODE1))).isZero();
    }
}
