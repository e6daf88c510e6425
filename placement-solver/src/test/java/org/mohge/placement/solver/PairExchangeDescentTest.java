package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.placement.CoActivation;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.strategy.GreedyStrategy;
import org.mohge.placement.strategy.PlacementContext;
import org.mohge.placement.strategy.ReplicateStrategy;

class PairExchangeDescentTest {

    /**
     * Four equal-size experts with 5120, 3840, 2560 and 1280 tokens (multiples of the 128-row
     * tile), two on each of two GPUs. Started from {0, 1} | {2, 3} (8960 against 3840 tokens), the
     * only balanced split by hand is {0, 3} | {1, 2}, 6400 tokens each.
     */
    @Test
    void findsTheBalancedSplitByExchangingCopies() {
        ModelSpec model = Fixtures.uniformModel(4, 1024);
        ClusterSpec cluster = Fixtures.h100(1, 2);
        PlacementProblem problem = new PlacementProblem(model, cluster, Fixtures.training(6400),
                Fixtures.profile(4, 3, 2, 1), 0, 2, 1, 1, 7);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(cluster));
        Placement start = placement(2, 0, 0, 1, 1);

        Placement result = new PairExchangeDescent(evaluator).improve(start, Long.MAX_VALUE, 10_000).placement();

        int gpuOf0 = result.experts().get(0).replicas().get(0).gpu();
        assertThat(result.experts().get(3).replicas().get(0).gpu()).isEqualTo(gpuOf0);
        assertThat(result.experts().get(1).replicas().get(0).gpu()).isNotEqualTo(gpuOf0);
        assertThat(result.experts().get(2).replicas().get(0).gpu()).isNotEqualTo(gpuOf0);
        PlacementEvaluation evaluation = evaluator.evaluate(result);
        assertThat(evaluation.imbalance()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    /**
     * Six busy experts of three sizes on three GPUs (the other 18 get no tokens and are spread
     * evenly), started with the busy ones all on GPU 0 (so no placement receives more tokens on a
     * GPU than the start, and the descent's all-to-all ceiling rules nothing out): the descent
     * reaches the optimum that a brute-force search over all 3^6 assignments of the busy experts,
     * priced by the evaluator, finds.
     */
    @Test
    void reachesTheBruteForceOptimumOnASmallInstance() {
        ModelSpec model = Fixtures.groupedModel();
        ClusterSpec cluster = Fixtures.h100(1, 3);
        double[] loads = new double[24];
        // Only six experts get tokens: two of each size (groups 0, 1, 2 = hidden 256, 512, 1024).
        int[] active = {0, 1, 8, 9, 16, 17};
        double[] tokens = {9, 4, 7, 2, 5, 3};
        for (int i = 0; i < active.length; i++) {
            loads[active[i]] = tokens[i];
        }
        PlacementProblem problem = new PlacementProblem(model, cluster, Fixtures.training(49152),
                Fixtures.profile(loads), 0, 10, 1, 1, 7);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(cluster));
        // Idle experts spread evenly; the busy ones start on GPU 0.
        int[] gpuOf = new int[24];
        for (int e = 0; e < 24; e++) {
            gpuOf[e] = e % 3;
        }
        int[] bad = {0, 0, 0, 0, 0, 0};
        for (int i = 0; i < active.length; i++) {
            gpuOf[active[i]] = bad[i];
        }
        rebalanceIdle(gpuOf, active, 10);
        Placement start = placement(3, gpuOf);

        Placement result = new PairExchangeDescent(evaluator).improve(start, Long.MAX_VALUE, 1_000_000).placement();

        double best = Double.POSITIVE_INFINITY;
        int[] trial = gpuOf.clone();
        for (int code = 0; code < 729; code++) {
            int c = code;
            for (int e : active) {
                trial[e] = c % 3;
                c /= 3;
            }
            if (!rebalanceIdle(trial, active, 10)) {
                continue;
            }
            PlacementEvaluation evaluation = evaluator.evaluate(placement(3, trial));
            if (evaluation.feasible()) {
                best = Math.min(best, evaluation.maxGpuTimeUs());
            }
        }
        assertThat(evaluator.evaluate(result).maxGpuTimeUs()).isLessThanOrEqualTo(best * (1 + 1e-9));
        assertThat(evaluator.evaluate(start).maxGpuTimeUs()).isGreaterThan(best * 1.2);
        assertThat(evaluator.evaluate(result).maxCopiesOnGpu()).isLessThanOrEqualTo(10);
    }

    @Test
    void neverReturnsSomethingWorseAndKeepsAStartItCannotImprove() {
        ModelSpec model = Fixtures.uniformModel(2, 1024);
        ClusterSpec cluster = Fixtures.h100(1, 2);
        PlacementProblem problem = new PlacementProblem(model, cluster, Fixtures.training(4096),
                Fixtures.profile(1, 1), 0, PlacementProblem.UNLIMITED, 1, 1, 7);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(cluster));
        Placement balanced = placement(2, 0, 1);
        assertThat(new PairExchangeDescent(evaluator).improve(balanced, Long.MAX_VALUE, 1000).placement())
                .isEqualTo(balanced);
    }

    /**
     * Two nodes of one GPU, four equal experts with equal loads, started balanced as {0, 1} | {2, 3}
     * with experts 0 and 2 picked together by most tokens: every split in two pairs has the same
     * GPU times, so only the locality term can choose, and by hand the best one puts 0 and 2
     * together ({0, 2} | {1, 3}, no co-activated token crossing nodes).
     */
    @Test
    void usesTiesInGpuTimeToKeepCoActivatedExpertsOnOneNode() {
        ModelSpec model = Fixtures.uniformModel(4, 1024);
        ClusterSpec cluster = Fixtures.h100(2, 1);
        PlacementProblem problem = new PlacementProblem(model, cluster, Fixtures.training(8192),
                Fixtures.profile(1, 1, 1, 1), 0, PlacementProblem.UNLIMITED, 1, 1, 7)
                .withCoActivation(List.of(new CoActivation(0, 2, 3000)));
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(cluster));
        Placement start = placement(2, 0, 0, 1, 1);

        Placement result = new PairExchangeDescent(evaluator).improve(start, Long.MAX_VALUE, 10_000).placement();

        assertThat(gpuOf(result, 0)).isEqualTo(gpuOf(result, 2));
        assertThat(gpuOf(result, 1)).isEqualTo(gpuOf(result, 3)).isNotEqualTo(gpuOf(result, 0));
        assertThat(evaluator.evaluate(start).coActivationBytes()).isPositive();
        assertThat(evaluator.evaluate(result).coActivationBytes()).isZero();
        assertThat(evaluator.evaluate(result).maxGpuTimeUs()).isEqualTo(evaluator.evaluate(start).maxGpuTimeUs());
    }

    /**
     * Replicated experts (8 spare copies from the replicate strategy, on the skewed grouped
     * problem): share shifts and exchanges keep every expert's shares adding up to 1 (the
     * placement would not construct otherwise) and the result is no slower than the start.
     */
    @Test
    void keepsSharesConsistentWhenReplicatedExpertsMove() {
        PlacementProblem problem = Fixtures.groupedProblem(8);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        Placement start = new ReplicateStrategy().place(new PlacementContext(problem, evaluator));
        assertThat(evaluator.evaluate(start).extraCopies()).isEqualTo(8);

        Placement result = new PairExchangeDescent(evaluator).improve(start, Long.MAX_VALUE, 200_000).placement();

        assertThat(evaluator.evaluate(result).maxGpuTimeUs()).isLessThan(evaluator.evaluate(start).maxGpuTimeUs());
        assertThat(evaluator.evaluate(result).extraCopies()).isEqualTo(8);
        // No GPU receives more tokens than the busiest did at the start, so the all-to-all (and
        // with it this training layer, whose expert stage got faster) is no slower.
        assertThat(evaluator.evaluate(result).layerTimeUs())
                .isLessThanOrEqualTo(evaluator.evaluate(start).layerTimeUs());
        for (ExpertPlacement e : result.experts()) {
            assertThat(e.replicas().stream().mapToDouble(r -> r.share()).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    /**
     * Spare slots left unused by the start (greedy places no copies): the descent may split
     * experts onto new copies, within the spare slots and the copies per expert, and the result
     * is feasible, faster than the start and has shares adding up to 1.
     */
    @Test
    void splitsExpertsOntoSpareSlotsWithinTheLimits() {
        PlacementProblem problem = Fixtures.groupedProblem(4).withSplit(TokenSplit.WEIGHTED);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        Placement start = GreedyStrategy.pack(evaluator.costs());
        assertThat(evaluator.evaluate(start).extraCopies()).isZero();

        Placement result = new PairExchangeDescent(evaluator).improve(start, Long.MAX_VALUE, 200_000).placement();

        PlacementEvaluation evaluation = evaluator.evaluate(result);
        assertThat(evaluation.extraCopies()).isBetween(1, 4);
        assertThat(evaluation.feasible()).isTrue();
        assertThat(evaluation.maxGpuTimeUs()).isLessThan(evaluator.evaluate(start).maxGpuTimeUs());
        for (ExpertPlacement e : result.experts()) {
            assertThat(e.replicas()).hasSizeLessThanOrEqualTo(evaluator.costs().maxCopiesPerExpert());
            assertThat(e.replicas().stream().mapToDouble(r -> r.share()).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(e.replicas()).allSatisfy(r -> assertThat(r.share()).isPositive());
        }
    }

    /**
     * With restarts left after its first local optimum the descent restarts from its best placement
     * after random exchanges, here with replicated experts; it keeps the best, so it never ends
     * worse than the single descent.
     */
    @Test
    void restartsWithinItsCountsAndKeepsTheBest() {
        PlacementProblem problem = Fixtures.groupedProblem(8);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        Placement start = new ReplicateStrategy().place(new PlacementContext(problem, evaluator));
        PairExchangeDescent descent = new PairExchangeDescent(evaluator);

        Placement once = descent.improve(start, Long.MAX_VALUE, 1_000_000).placement();
        PairExchangeDescent.Result result = descent.improve(start,
                PairExchangeDescent.Budget.counted(2_000_000, 20, 5));
        Placement restarted = result.placement();

        assertThat(result.restarts()).isBetween(1, 20);
        assertThat(result.cutByClock()).isFalse();

        assertThat(evaluator.evaluate(restarted).maxGpuTimeUs())
                .isLessThanOrEqualTo(evaluator.evaluate(once).maxGpuTimeUs());
        assertThat(evaluator.evaluate(restarted).feasible()).isTrue();
    }

    private static int gpuOf(Placement placement, int expert) {
        return placement.experts().get(expert).replicas().get(0).gpu();
    }

    /**
     * Moves idle experts (no tokens, no time) so no GPU holds more than {@code limit} copies;
     * false when the active ones alone break the limit.
     */
    private static boolean rebalanceIdle(int[] gpuOf, int[] active, int limit) {
        int gpus = 3;
        int[] count = new int[gpus];
        for (int e : active) {
            count[gpuOf[e]]++;
        }
        for (int c : count) {
            if (c > limit) {
                return false;
            }
        }
        for (int e = 0; e < gpuOf.length; e++) {
            boolean isActive = false;
            for (int a : active) {
                isActive |= a == e;
            }
            if (isActive) {
                continue;
            }
            int g = 0;
            for (int k = 1; k < gpus; k++) {
                if (count[k] < count[g]) {
                    g = k;
                }
            }
            gpuOf[e] = g;
            count[g]++;
        }
        for (int c : count) {
            if (c > limit) {
                return false;
            }
        }
        return true;
    }

    private static Placement placement(int gpus, int... gpuOfExpert) {
        List<ExpertPlacement> experts = new ArrayList<>();
        for (int e = 0; e < gpuOfExpert.length; e++) {
            experts.add(ExpertPlacement.single(e, gpuOfExpert[e]));
        }
        return new Placement("start", gpus, experts);
    }
}
