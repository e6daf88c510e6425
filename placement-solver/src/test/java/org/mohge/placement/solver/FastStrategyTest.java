package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.strategy.EplbStrategy;
import org.mohge.placement.strategy.PlacementContext;

class FastStrategyTest {

    /**
     * On skewed loads with and without spare slots: never slower than EPLB, an equal split, no
     * GPU above EPLB's slot count (ceil(physical slots / GPUs)), and the same bytes twice.
     */
    @Test
    void neverWorseThanEplbWithinItsSlotsAndEqualSplits() {
        for (int spare : new int[] {0, 4, 8}) {
            PlacementProblem problem = Fixtures.groupedProblem(spare);
            PlacementEvaluator evaluator = new PlacementEvaluator(problem, Fixtures.costModel(problem.cluster()));
            PlacementContext context = new PlacementContext(problem, evaluator);
            PlacementEvaluation eplb = evaluator.evaluate(new EplbStrategy().place(context));
            Placement fast = new FastStrategy().place(context);
            PlacementEvaluation evaluation = evaluator.evaluate(fast);

            assertThat(evaluation.maxGpuTimeUs()).as("spare " + spare).isLessThanOrEqualTo(eplb.maxGpuTimeUs());
            assertThat(PlacementEvaluator.splitsEqually(fast)).isTrue();
            int slots = (problem.expertCount() + spare + problem.gpuCount() - 1) / problem.gpuCount();
            assertThat(evaluation.maxCopiesOnGpu()).isLessThanOrEqualTo(slots);
            assertThat(new FastStrategy().place(context)).isEqualTo(fast);
        }
    }
}
