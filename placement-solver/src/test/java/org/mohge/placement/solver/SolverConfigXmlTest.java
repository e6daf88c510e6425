package org.mohge.placement.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.score.ExpertPlacementConstraintProvider;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

/** The XML solver configuration states what an equivalent builder, written out here, states. */
class SolverConfigXmlTest {

    private static SolverConfig equivalentBuilder() {
        return new SolverConfig()
                .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
                .withRandomSeed(0L)
                .withSolutionClass(ExpertPlacementSolution.class)
                .withEntityClasses(ExpertCopy.class)
                .withConstraintProviderClass(ExpertPlacementConstraintProvider.class)
                .withConstraintStreamImplType(ConstraintStreamImplType.BAVET)
                .withTerminationConfig(new TerminationConfig().withSecondsSpentLimit(5L)
                        .withUnimprovedSecondsSpentLimit(2L))
                .withPhases(new LocalSearchPhaseConfig()
                        .withMoveSelectorConfig(new UnionMoveSelectorConfig()
                                .withMoveSelectors(new ChangeMoveSelectorConfig(), new SwapMoveSelectorConfig())
                                .withSelectedCountLimit(10_000L))
                        .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(50))
                        .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
    }

    @Test
    void theXmlStatesWhatTheBuilderStates() {
        SolverConfig xml = SolverConfig.createFromXmlResource(SolverSettings.CONFIG_RESOURCE);
        SolverConfig builder = equivalentBuilder();

        assertThat(xml.getEnvironmentMode()).isEqualTo(builder.getEnvironmentMode());
        assertThat(xml.getRandomSeed()).isEqualTo(builder.getRandomSeed());
        assertThat(xml.getSolutionClass()).isEqualTo(builder.getSolutionClass());
        assertThat(xml.getEntityClassList()).isEqualTo(builder.getEntityClassList());
        assertThat(xml.getScoreDirectorFactoryConfig().getConstraintProviderClass())
                .isEqualTo(builder.getScoreDirectorFactoryConfig().getConstraintProviderClass());
        assertThat(xml.getScoreDirectorFactoryConfig().getConstraintStreamImplType())
                .isEqualTo(builder.getScoreDirectorFactoryConfig().getConstraintStreamImplType());
        assertThat(xml.getTerminationConfig().getSecondsSpentLimit())
                .isEqualTo(builder.getTerminationConfig().getSecondsSpentLimit());
        assertThat(xml.getTerminationConfig().getUnimprovedSecondsSpentLimit())
                .isEqualTo(builder.getTerminationConfig().getUnimprovedSecondsSpentLimit());

        assertThat(xml.getPhaseConfigList()).hasSize(1);
        LocalSearchPhaseConfig phase = (LocalSearchPhaseConfig) xml.getPhaseConfigList().get(0);
        LocalSearchPhaseConfig expected = (LocalSearchPhaseConfig) builder.getPhaseConfigList().get(0);
        assertThat(phase.getAcceptorConfig().getLateAcceptanceSize())
                .isEqualTo(expected.getAcceptorConfig().getLateAcceptanceSize());
        assertThat(phase.getForagerConfig().getAcceptedCountLimit())
                .isEqualTo(expected.getForagerConfig().getAcceptedCountLimit());
        UnionMoveSelectorConfig moves = (UnionMoveSelectorConfig) phase.getMoveSelectorConfig();
        UnionMoveSelectorConfig expectedMoves = (UnionMoveSelectorConfig) expected.getMoveSelectorConfig();
        assertThat(moves.getSelectedCountLimit()).isEqualTo(expectedMoves.getSelectedCountLimit());
        assertThat(moves.getMoveSelectorList()).extracting(Object::getClass)
                .containsExactlyElementsOf(expectedMoves.getMoveSelectorList().stream().map(Object::getClass).toList());
        assertThat(phase.getTerminationConfig()).isEqualTo(expected.getTerminationConfig());
    }

    /** A run keeps the XML's search and takes its seed, mode and limits from the settings. */
    @Test
    void aRunOverridesSeedModeAndLimits() {
        SolverConfig config = SolverSettings.steps(42, 7).withEnvironmentMode(EnvironmentMode.FULL_ASSERT)
                .solverConfig(100, 9);

        assertThat(config.getRandomSeed()).isEqualTo(42L);
        assertThat(config.getEnvironmentMode()).isEqualTo(EnvironmentMode.FULL_ASSERT);
        LocalSearchPhaseConfig phase = (LocalSearchPhaseConfig) config.getPhaseConfigList().get(0);
        assertThat(phase.getTerminationConfig().getStepCountLimit()).isEqualTo(7);
        // max(10 000, 2 * 100 entities * (9 GPUs + 1)) = 10 000; and for a larger problem:
        assertThat(phase.getMoveSelectorConfig().getSelectedCountLimit()).isEqualTo(10_000L);
        LocalSearchPhaseConfig large = (LocalSearchPhaseConfig) SolverSettings.steps(1, 1).solverConfig(600, 128)
                .getPhaseConfigList().get(0);
        assertThat(large.getMoveSelectorConfig().getSelectedCountLimit()).isEqualTo(2L * 600 * 129);
        assertThat(phase.getAcceptorConfig().getLateAcceptanceSize()).isEqualTo(50);
    }
}
