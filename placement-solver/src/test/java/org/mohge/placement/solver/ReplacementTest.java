package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.strategy.PlacementContext;

class ReplacementTest {
    private static final ModelSpec MODEL = Fixtures.uniformModel(16, 1024);
    private static final ClusterSpec CLUSTER = Fixtures.h100(2, 2);

    /** Loads skewed toward low expert numbers; the drifted profile moves the heat to high ones. */
    private static LoadProfile loads(boolean drifted) {
        double[] loads = new double[16];
        for (int e = 0; e < 16; e++) {
            int rank = drifted ? 15 - e : e;
            loads[e] = 4000.0 / (1 + 0.4 * rank);
        }
        return Fixtures.profile(loads);
    }

    private static PlacementProblem problem(boolean drifted) {
        return Fixtures.problem(MODEL, CLUSTER, Fixtures.training(65536), loads(drifted), 0);
    }

    /** Copies of {@code next} on GPUs that did not hold that expert in {@code current}, counted naively. */
    private static int naiveMoves(Placement current, Placement next) {
        int moves = 0;
        for (ExpertPlacement e : next.experts()) {
            for (ExpertReplica r : e.replicas()) {
                boolean was = current.experts().get(e.expert()).replicas().stream().anyMatch(c -> c.gpu() == r.gpu());
                moves += was ? 0 : 1;
            }
        }
        return moves;
    }

    @Test
    void neverWorseThanTheCurrentPlacementAndNeverOverTheBudget() {
        PlacementProblem old = problem(false);
        PlacementEvaluator oldEvaluator = new PlacementEvaluator(old, Fixtures.costModel(CLUSTER));
        Placement current = new FastStrategy().place(new PlacementContext(old, oldEvaluator));
        PlacementProblem drifted = problem(true);
        PlacementEvaluator evaluator = new PlacementEvaluator(drifted, Fixtures.costModel(CLUSTER));
        PlacementEvaluation stay = evaluator.evaluate(current);
        // one copy: SwiGLU 3 x d x h parameters, bf16 weights (2 bytes) and Adam state (12 bytes)
        double copyBytes = 3.0 * 1024 * 1024 * (2 + 12);

        for (int budget : new int[] {0, 1, 2, 4, 8, 16}) {
            Replacement.Result r = new Replacement(evaluator).replace(current, budget);
            int moves = naiveMoves(current, r.placement());
            assertThat(moves).as("budget " + budget).isLessThanOrEqualTo(budget).isEqualTo(r.expertsMoved());
            assertThat(r.bytesMoved()).isEqualTo(moves * copyBytes);
            PlacementEvaluation after = evaluator.evaluate(r.placement());
            assertThat(after.maxGpuTimeUs()).isLessThanOrEqualTo(stay.maxGpuTimeUs());
            assertThat(r.after().maxGpuTimeUs()).isEqualTo(after.maxGpuTimeUs());
            if (budget == 0) {
                assertThat(r.placement().experts()).isEqualTo(current.experts());
                assertThat(r.transferUs()).isZero();
            }
            assertThat(r.transferUs() > 0).isEqualTo(moves > 0);
        }
        // with the heat drifted, a few moves rebalance: the largest budget gains over staying put
        Replacement.Result generous = new Replacement(evaluator).replace(current, 16);
        assertThat(generous.after().maxGpuTimeUs()).isLessThan(stay.maxGpuTimeUs());
        assertThat(generous.imbalanceGained()).isPositive();
    }

    /**
     * Transfer time by hand: one copy (3 x 1024 x 1024 params x 14 bytes) sent over NVLink inside
     * a node takes bytes / (nvlinkGBps x 1e3) us; over the NIC bytes / (nicGBps x 1e3) us.
     */
    @Test
    void transferTimeUsesTheLinkBetweenTheGpus() {
        PlacementProblem p = problem(false);
        PlacementEvaluator evaluator = new PlacementEvaluator(p, Fixtures.costModel(CLUSTER));
        Placement current = singleCopies(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
        double bytes = 3.0 * 1024 * 1024 * 14;
        Placement sameNode = singleCopies(new int[] {1, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
        Placement otherNode = singleCopies(new int[] {2, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
        assertThat(ExpertTransfer.moves(current, sameNode)).isEqualTo(1);
        assertThat(transfer(evaluator, current, sameNode)).isCloseTo(bytes / (CLUSTER.nvlinkGBps() * 1e3),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(transfer(evaluator, current, otherNode)).isCloseTo(bytes / (CLUSTER.nicGBps() * 1e3),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    private static double transfer(PlacementEvaluator evaluator, Placement current, Placement next) {
        return new ExpertTransfer(evaluator.problem()).transferUs(current, next);
    }

    private static Placement singleCopies(int[] gpuOf) {
        java.util.List<ExpertPlacement> list = new java.util.ArrayList<>();
        for (int e = 0; e < gpuOf.length; e++) {
            list.add(ExpertPlacement.single(e, gpuOf[e]));
        }
        return new Placement("x", 4, list);
    }
}
