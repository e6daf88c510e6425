package org.mohge.placement.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.strategy.GreedyStrategy;

class PlacementEvaluatorTest {

    @Test
    void gpuTimeIsTheGroupedGemmOfTheExpertsItHolds() {
        // Naive recomputation: each GPU's experts with tokens = load / total * tokensPerStep * k
        // (one micro-batch), priced by LayerOps.experts.
        PlacementProblem problem = Fixtures.groupedProblem(0);
        CostModel costModel = Fixtures.costModel(problem.cluster());
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, costModel);
        Placement placement = Placements.contiguous(problem.model().moe(), 4);
        PlacementEvaluation evaluation = evaluator.evaluate(placement);

        double[] loads = problem.loads().layers().get(0).loads();
        double total = 0;
        for (double l : loads) {
            total += l;
        }
        List<ExpertShape> shapes = problem.model().moe().expertShapes();
        LayerOps ops = new LayerOps(problem.model(), costModel);
        double max = 0;
        double sum = 0;
        for (int g = 0; g < 4; g++) {
            // contiguous: 24 experts / 4 GPUs = 6 consecutive experts per GPU
            double[] tokens = new double[6];
            int[] hidden = new int[6];
            for (int i = 0; i < 6; i++) {
                int e = 6 * g + i;
                tokens[i] = loads[e] / total * 65536 * 4;
                hidden[i] = shapes.get(e).hidden();
            }
            double t = ops.experts(tokens, hidden).timeUs();
            assertThat(evaluation.gpuTimeUs()[g]).isCloseTo(t, within(1e-9));
            max = Math.max(max, t);
            sum += t;
        }
        assertThat(evaluation.maxGpuTimeUs()).isCloseTo(max, within(1e-9));
        assertThat(evaluation.imbalance()).isCloseTo(max / (sum / 4), within(1e-12));
        assertThat(evaluation.gapToLowerBound()).isCloseTo(max / evaluation.bounds().boundUs() - 1, within(1e-12));
        assertThat(evaluation.extraCopies()).isZero();
        assertThat(evaluation.fitsMemory()).isTrue();
    }

    @Test
    void lowerBoundsHoldForEveryBaseline() {
        PlacementProblem problem = Fixtures.groupedProblem(2);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        LowerBounds bounds = evaluator.lowerBounds();
        for (Placement p : List.of(Placements.contiguous(problem.model().moe(), 4),
                Placements.groupDecoupled(problem.model().moe(), 4), GreedyStrategy.pack(evaluator.costs()))) {
            assertThat(evaluator.evaluate(p).maxGpuTimeUs()).isGreaterThanOrEqualTo(bounds.boundUs());
        }
        // Perfect balance by hand from the table: launches + total single-copy work / 4 GPUs.
        CopyCostTable costs = evaluator.costs();
        double work = 0;
        for (int e = 0; e < 24; e++) {
            work += costs.copyTimeUs(e, 1);
        }
        assertThat(bounds.perfectBalanceUs()).isCloseTo(costs.fixedUs() + work / 4, within(1e-9));
        // Largest copy by hand: 2 spare slots allow 3 copies; each expert's tokens / 3 priced alone.
        double[] loads = problem.loads().layers().get(0).loads();
        double total = java.util.Arrays.stream(loads).sum();
        LayerOps ops = new LayerOps(problem.model(), Fixtures.costModel(problem.cluster()));
        double largest = 0;
        for (ExpertShape e : problem.model().moe().expertShapes()) {
            double tokens = loads[e.index()] / total * 65536 * 4 / 3;
            largest = Math.max(largest, ops.experts(new double[] {tokens}, new int[] {e.hidden()}).timeUs());
        }
        assertThat(bounds.largestCopyUs()).isCloseTo(largest, within(1e-9));
    }

    @Test
    void rejectsAPlacementForAnotherCluster() {
        PlacementProblem problem = Fixtures.groupedProblem(0);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        Placement wrong = Placements.contiguous(problem.model().moe(), 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> evaluator.evaluate(wrong))
                .hasMessageContaining("8 GPUs");
    }

    @Test
    void coActivatedPairsSplitOverNodesCostTheirTokensTwiceOverTheNic() {
        // 2 nodes x 2 GPUs; contiguous puts experts 0-5 on GPU 0 (node 0) and 18-23 on GPU 3 (node 1).
        // Pair (0, 1) shares GPU 0: nothing. Pair (0, 23) is split: 1000 tokens x (dispatch + combine)
        // x 1024 values x 2 bytes / 1 micro-batch = 4,096,000 bytes.
        PlacementProblem problem = Fixtures.problem(Fixtures.groupedModel(), Fixtures.h100(2, 2),
                Fixtures.training(65536), Fixtures.skewed(24, 1000), 0)
                .withCoActivation(List.of(new org.mohge.placement.CoActivation(0, 1, 5000),
                        new org.mohge.placement.CoActivation(0, 23, 1000)));
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        PlacementEvaluation e = evaluator.evaluate(Placements.contiguous(problem.model().moe(), 4));
        assertThat(e.coActivationBytes()).isCloseTo(1000.0 * 2 * 1024 * 2, within(1e-6));
    }
}
