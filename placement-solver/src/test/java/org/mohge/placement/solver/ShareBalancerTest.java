package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;

class ShareBalancerTest {
    /**
     * Expert 0 (6000 tokens) has a copy on each of 2 GPUs, expert 1 (3000 tokens) lives on GPU 0.
     * With equal shares GPU 0 computes 3000 + 3000 tokens and GPU 1 3000: by hand, moving expert 0's
     * tokens toward GPU 1 until both hold 4500 (share 0.25 on GPU 0) balances them, since both
     * experts have the same size and a token costs the same on either.
     */
    @Test
    void movesTheReplicatedExpertsTokensOffTheSlowestGpu() {
        ModelSpec model = Fixtures.uniformModel(2, 1024);
        ClusterSpec cluster = Fixtures.h100(1, 2);
        PlacementProblem problem = Fixtures.problem(model, cluster, Fixtures.training(4500),
                Fixtures.profile(6000, 3000), 1).withSplit(TokenSplit.WEIGHTED);
        CostModel costModel = Fixtures.costModel(cluster);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, costModel);
        Placement equal = new Placement("start", 2, List.of(
                new ExpertPlacement(0, List.of(new ExpertReplica(0, 0.5), new ExpertReplica(1, 0.5))),
                ExpertPlacement.single(1, 0)));
        PlacementEvaluation before = evaluator.evaluate(equal);

        Placement balanced = new ShareBalancer(evaluator, CopyCostTable.build(problem, costModel)).balance(equal, 200);
        PlacementEvaluation after = evaluator.evaluate(balanced);

        assertThat(after.maxGpuTimeUs()).isLessThan(before.maxGpuTimeUs());
        assertThat(after.imbalance()).isLessThan(1.05).isLessThan(before.imbalance());
        double shareOnGpu0 = balanced.experts().get(0).replicas().get(0).share();
        assertThat(shareOnGpu0).isBetween(0.15, 0.35);
        assertThat(balanced.experts().get(0).replicas().stream().mapToDouble(ExpertReplica::share).sum())
                .isEqualTo(1.0);
    }

    @Test
    void leavesAPlacementWithoutReplicasAlone() {
        ModelSpec model = Fixtures.uniformModel(2, 1024);
        ClusterSpec cluster = Fixtures.h100(1, 2);
        PlacementProblem problem = Fixtures.problem(model, cluster, Fixtures.training(4096), Fixtures.profile(10, 20), 0);
        CostModel costModel = Fixtures.costModel(cluster);
        Placement single = new Placement("s", 2, List.of(ExpertPlacement.single(0, 0), ExpertPlacement.single(1, 1)));
        assertThat(new ShareBalancer(new PlacementEvaluator(problem, costModel), CopyCostTable.build(problem, costModel))
                .balance(single, 10)).isSameAs(single);
    }
}
