package org.mohge.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.solver.OptaPlannerStrategy;
import org.mohge.placement.solver.SolverSettings;
import org.mohge.placement.strategy.ContiguousStrategy;
import org.mohge.placement.strategy.GreedyStrategy;
import org.mohge.placement.strategy.GroupDecoupledStrategy;
import org.mohge.placement.strategy.ReplicateStrategy;

class PlacementRunnerTest {

    @Test
    void aScenarioAcceptsExactlyTheStrategiesThisModuleKnows() {
        // costmodel checks placement.strategies at load without seeing this module: the two lists must agree.
        assertThat(org.mohge.costmodel.deploy.PlacementSpec.KNOWN_STRATEGIES)
                .containsExactlyInAnyOrderElementsOf(PlacementStrategies.NAMES);
    }

    @Test
    void comparesEveryStrategyWithOneEvaluator() {
        PlacementProblem problem = Fixtures.groupedProblem(2);
        PlacementRunner runner = new PlacementRunner(problem, Fixtures.costModel(problem.cluster()));
        PlacementComparison comparison = runner.runStrategies(List.of(new ContiguousStrategy(),
                new GroupDecoupledStrategy(), new GreedyStrategy(), new ReplicateStrategy(),
                new OptaPlannerStrategy(SolverSettings.steps(3, 300))), line -> { });
        assertThat(comparison.results()).extracting(PlacementResult::strategy)
                .containsExactly("contiguous", "group-decoupled", "greedy", "replicate", "optaplanner");
        double opt = comparison.result("optaplanner").evaluation().maxGpuTimeUs();
        assertThat(opt).isLessThanOrEqualTo(comparison.result("greedy").evaluation().maxGpuTimeUs());
        assertThat(opt).isLessThanOrEqualTo(comparison.result("replicate").evaluation().maxGpuTimeUs());
        assertThat(comparison.best().strategy()).isIn("greedy", "replicate", "optaplanner");
        for (PlacementResult r : comparison.results()) {
            assertThat(r.evaluation().maxGpuTimeUs()).isGreaterThanOrEqualTo(comparison.bounds().boundUs());
            assertThat(r.placement().strategy()).isEqualTo(r.strategy());
        }
        assertThat(comparison.result("replicate").evaluation().extraCopies()).isEqualTo(2);
    }

    @Test
    void groupDecoupledBeatsContiguousWhenLoadsAreEvenInsideGroups() {
        // Default loads: a third of the copies per group, even inside a group (what the paper's
        // intra-group loss aims for). Contiguous cuts 24 experts into 4 blocks of 6 in model order,
        // so GPU 3 holds six experts of hidden 1024 and is the slowest; the paper's layout spreads
        // every size over every GPU and must do better.
        org.mohge.costmodel.arch.ModelSpec model = Fixtures.groupedModel();
        PlacementProblem problem = Fixtures.problem(model, Fixtures.h100(1, 4), Fixtures.training(65536),
                PlacementProblem.defaultLoads(model, Fixtures.training(65536)), 0);
        PlacementComparison comparison = new PlacementRunner(problem, Fixtures.costModel(problem.cluster()))
                .run(List.of("contiguous", "group-decoupled"), line -> { });
        assertThat(comparison.result("group-decoupled").evaluation().maxGpuTimeUs())
                .isLessThan(comparison.result("contiguous").evaluation().maxGpuTimeUs());
        assertThat(comparison.result("group-decoupled").evaluation().imbalance()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void unknownStrategyNamesTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlacementStrategies.byName("magic"))
                .hasMessageContaining("contiguous, group-decoupled, greedy, replicate, eplb, hierarchical, fast, optaplanner");
    }

    @Test
    void defaultLoadsSpreadEveryRoutedCopyByTheDefaultShares() {
        // Grouped, 3 groups of 8, top-2 groups x top-2: 65536 tokens x 4 copies = 262144 copies,
        // a third per group, an eighth of that per expert: 10922.67 each.
        LoadProfile loads = PlacementProblem.defaultLoads(Fixtures.groupedModel(), Fixtures.training(65536));
        assertThat(loads.layers()).hasSize(1);
        for (double l : loads.layers().get(0).loads()) {
            assertThat(l).isCloseTo(65536.0 * 4 / 3 / 8, within(1e-6));
        }
    }

    @Test
    void expertTokensPerMicroBatchFollowTheLoadShares() {
        // Loads 1 : 3 over two experts, 1000 tokens per step in 2 micro-batches, top-1: 500 copies
        // per micro-batch, split 125 / 375 whatever the absolute loads say.
        PlacementProblem problem = new PlacementProblem(Fixtures.uniformModel(2, 512), Fixtures.h100(1, 2),
                new org.mohge.costmodel.workload.WorkloadSpec(null, 1000, 100, 2), Fixtures.profile(7, 21), 0,
                PlacementProblem.UNLIMITED, 1, 1, 1);
        // uniformModel uses top-2: 1000 copies per micro-batch.
        assertThat(problem.layerExpertTokens()[0]).containsExactly(250.0, 750.0);
    }

    @Test
    void rejectsALoadProfileOfAnotherModel() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fixtures.problem(Fixtures.groupedModel(),
                        Fixtures.h100(1, 4), Fixtures.training(65536), Fixtures.profile(1, 2, 3), 0))
                .hasMessage("loads.layers[0].expertLoads must have one entry per expert of the model (24), got 3");
    }
}
