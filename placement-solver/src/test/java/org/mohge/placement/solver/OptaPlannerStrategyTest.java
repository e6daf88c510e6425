package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.CoActivation;
import org.mohge.placement.domain.GpuTimeFunction;
import org.mohge.placement.persistence.Locality;
import org.mohge.placement.persistence.SolutionMapper;
import org.mohge.placement.strategy.GreedyStrategy;
import org.mohge.placement.strategy.PlacementContext;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertPlacementSolution;

class OptaPlannerStrategyTest {

    private static PlacementContext context(PlacementProblem problem) {
        return new PlacementContext(problem, new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster())));
    }

    private static ExpertPlacementSolution solve(ExpertPlacementSolution problem, SolverSettings settings) {
        return SolverFactory.<ExpertPlacementSolution>create(settings.solverConfig()).buildSolver().solve(problem);
    }

    private static long maxUnits(ExpertPlacementSolution solution) {
        return -solution.getScore().mediumScore();
    }

    /** A hand-made table: one copy per expert unless {@code times[e]} has more entries. */
    private static CopyCostTable table(int gpus, int spare, double[]... times) {
        double[][] bytes = new double[times.length][times[0].length];
        return new CopyCostTable(gpus, times, bytes, 1e9, 0, PlacementProblem.UNLIMITED, spare);
    }

    @Test
    void findsTheBalancedSplitThatGreedyMisses() {
        // Times 3, 3, 2, 2, 2 on 2 GPUs. Greedy (LPT): 3 | 3, then 2 -> g0, 2 -> g1, 2 -> g0: 7 / 5.
        // The optimum is 3 + 3 | 2 + 2 + 2 = 6 / 6. A balanced GPU (12 / 2 = 6) is 1e6 solver units,
        // so a 3 is 500,000 units and a 2 is 333,333 (rounded): greedy's max is 500,000 + 666,666 =
        // 1,166,666; the optimum's is max(1,000,000, 999,999) = 1,000,000.
        CopyCostTable costs = table(2, 0, new double[] {3}, new double[] {3}, new double[] {2}, new double[] {2},
                new double[] {2});
        Placement greedy = GreedyStrategy.pack(costs);
        ExpertPlacementSolution start = SolutionMapper.toSolution(costs, greedy, 0);
        SolutionManager<ExpertPlacementSolution, HardMediumSoftLongScore> scores = SolutionManager.create(
                SolverFactory.<ExpertPlacementSolution>create(SolverSettings.steps(1, 1).solverConfig()));
        assertThat(scores.update(start).mediumScore()).isEqualTo(-1_166_666);
        ExpertPlacementSolution best = solve(start, SolverSettings.steps(3, 2000)
                .withBestScoreLimit("0hard/-1000000medium/-1999998000001soft"));
        assertThat(maxUnits(best)).isEqualTo(1_000_000);
        assertThat(best.getScore().hardScore()).isZero();
    }

    @Test
    void searchesReplicaCountsWithSpareSlots() {
        // 3 GPUs, 2 spare slots. e0 costs 12 per copy alone, 6.5 per copy in two, 4.5 in three; e1
        // and e2 cost 3. Without copies the max is 12. By hand: e0 in three copies gives
        // 4.5 + 3 | 4.5 + 3 | 4.5 = 7.5; e0 in two copies gives 6.5 | 6.5 | 3 + 3 = 6.5, the
        // optimum (nothing can go under 6.5 once e0 has two copies, and three cost 7.5).
        // A balanced GPU is (12 + 3 + 3) / 3 = 6 -> 1e6 units, so 6.5 is 1,083,333 units.
        CopyCostTable costs = table(3, 2, new double[] {12, 6.5, 4.5}, new double[] {3, 3, 3},
                new double[] {3, 3, 3});
        ExpertPlacementSolution start = SolutionMapper.toSolution(costs, GreedyStrategy.pack(costs), 2);
        ExpertPlacementSolution best = solve(start, SolverSettings.steps(5, 3000));
        assertThat(best.getScore().hardScore()).isZero();
        assertThat(maxUnits(best)).isEqualTo(1_083_333);
        Placement placement = SolutionMapper.toPlacement(best, "optaplanner");
        assertThat(placement.experts().get(0).replicas()).hasSize(2);
        assertThat(placement.experts().get(1).replicas()).hasSize(1);
    }

    @Test
    void coActivatedExpertsEndUpOnOneNode() {
        // 2 nodes of 1 GPU, four experts of equal time. Greedy deals 0, 2 to GPU 0 and 1, 3 to
        // GPU 1, splitting both co-activated pairs (0, 1) and (2, 3). Swapping 1 and 2 keeps the
        // balance and removes both penalties, so the solver must end with {0, 1} and {2, 3}.
        CopyCostTable costs = table(2, 0, new double[] {1}, new double[] {1}, new double[] {1}, new double[] {1});
        Placement greedy = GreedyStrategy.pack(costs);
        assertThat(greedy.experts().get(0).replicas().get(0).gpu())
                .isNotEqualTo(greedy.experts().get(1).replicas().get(0).gpu());
        Locality locality = new Locality(1, List.of(new CoActivation(0, 1, 100), new CoActivation(2, 3, 100)), 1e-3);
        ExpertPlacementSolution best = solve(SolutionMapper.toSolution(costs, greedy, 0, GpuTimeFunction.LINEAR,
                locality), SolverSettings.steps(9, 200));
        Placement placement = SolutionMapper.toPlacement(best, "optaplanner");
        int[] gpu = new int[4];
        for (int e = 0; e < 4; e++) {
            gpu[e] = placement.experts().get(e).replicas().get(0).gpu();
        }
        assertThat(gpu[0]).isEqualTo(gpu[1]);
        assertThat(gpu[2]).isEqualTo(gpu[3]);
        assertThat(gpu[0]).isNotEqualTo(gpu[2]);
    }

    @Test
    void reproducibleSmokeSolveIsNeverWorseThanItsStart() {
        PlacementProblem problem = Fixtures.groupedProblem(0);
        SolverRun run = new OptaPlannerStrategy(SolverSettings.steps(7, 400)).solve(context(problem));
        assertThat(run.bestScore().hardScore()).isZero();
        assertThat(run.bestScore()).isGreaterThanOrEqualTo(run.initialScore());
        Placement chosen = run.chosen();
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        assertThat(evaluator.evaluate(chosen).maxGpuTimeUs())
                .isLessThanOrEqualTo(run.initialEvaluation().maxGpuTimeUs());
    }

    @Test
    void sameSeedSamePlacement() {
        PlacementProblem problem = Fixtures.groupedProblem(2);
        Placement a = new OptaPlannerStrategy(SolverSettings.steps(11, 300)).place(context(problem));
        Placement b = new OptaPlannerStrategy(SolverSettings.steps(11, 300)).place(context(problem));
        assertThat(a).isEqualTo(b);
        assertThat(a.strategy()).isEqualTo("optaplanner");
    }

    @Test
    void fullAssertFindsNoScoreCorruptionWithSpareCopies() {
        // FULL_ASSERT recomputes the score from scratch after every move and fails on any
        // difference from the incremental Bavet score (grouping, flattening, max).
        PlacementProblem problem = Fixtures.groupedProblem(3);
        SolverRun run = new OptaPlannerStrategy(SolverSettings.steps(13, 150)
                .withEnvironmentMode(EnvironmentMode.FULL_ASSERT)).solve(context(problem));
        assertThat(run.bestScore().hardScore()).isZero();
    }

    @Test
    void constraintStreamScoreMatchesANaiveRecount() {
        // A second implementation of the score with plain loops, on random (partly infeasible) solutions.
        PlacementProblem problem = Fixtures.groupedProblem(4);
        CopyCostTable costs = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
        ExpertPlacementSolution solution = SolutionMapper.toSolution(costs, GreedyStrategy.pack(costs), 3);
        SolutionManager<ExpertPlacementSolution, HardMediumSoftLongScore> scores = SolutionManager.create(
                SolverFactory.<ExpertPlacementSolution>create(SolverSettings.steps(1, 1).solverConfig()));
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            for (ExpertCopy copy : solution.getCopies()) {
                int pick = random.nextInt(solution.getGpus().size() + (copy.isPrimary() && trial % 2 == 0 ? 0 : 2));
                copy.setGpu(pick < solution.getGpus().size() ? solution.getGpus().get(pick) : null);
            }
            assertThat(scores.update(solution)).isEqualTo(naiveScore(solution));
        }
    }

    private static HardMediumSoftLongScore naiveScore(ExpertPlacementSolution s) {
        Map<Integer, List<ExpertCopy>> held = new HashMap<>();
        long hard = 0;
        int spares = 0;
        for (ExpertCopy c : s.getCopies()) {
            if (c.getGpu() == null) {
                if (c.isPrimary()) {
                    hard -= c.getExpert().memoryMiB(1) + 1;
                }
                continue;
            }
            held.computeIfAbsent(c.getExpert().getId(), k -> new ArrayList<>()).add(c);
            if (!c.isPrimary()) {
                spares++;
            }
        }
        hard -= Math.max(0, spares - s.getParameters().spareSlots());
        int gpus = s.getGpus().size();
        long[] time = new long[gpus];
        long[] mem = new long[gpus];
        long[] comm = new long[gpus];
        int[] count = new int[gpus];
        for (List<ExpertCopy> copies : held.values()) {
            for (int i = 0; i < copies.size(); i++) {
                ExpertCopy c = copies.get(i);
                int g = c.getGpu().getId();
                time[g] += c.getExpert().timeUnits(copies.size());
                mem[g] += c.getExpert().memoryMiB(copies.size());
                comm[g] += c.getExpert().getCommUnits() / copies.size();
                count[g]++;
                for (int j = i + 1; j < copies.size(); j++) {
                    if (copies.get(j).getGpu() == c.getGpu()) {
                        hard--;
                    }
                }
            }
        }
        long max = 0;
        long soft = 0;
        for (int g = 0; g < gpus; g++) {
            hard -= Math.max(0, mem[g] - s.getGpus().get(g).getExpertBudgetMiB());
            hard -= Math.max(0, count[g] - (long) s.getGpus().get(g).getMaxCopies());
            max = Math.max(max, time[g]);
            soft -= time[g] * time[g] + comm[g] * comm[g];
        }
        return HardMediumSoftLongScore.of(hard, -max, soft);
    }
}
