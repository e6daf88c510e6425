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
    }

    @Test
    void rejectsAPlacementForAnotherCluster() {
        PlacementProblem problem = Fixtures.groupedProblem(0);
        PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
        Placement wrong = Placements.contiguous(problem.model().moe(), 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> evaluator.evaluate(wrong))
                .hasMessageContaining("8 GPUs");
    }
}
