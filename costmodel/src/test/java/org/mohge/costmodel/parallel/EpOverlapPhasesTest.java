package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EpOverlapPhasesTest {

    // A layer with pre-dispatch 3 / mlp 2 forward and 7 / 4 backward, exchanges of 5 each.
    private final EpOverlapPhases phases = new EpOverlapPhases(3, 2, 7, 4, 5, 5, 5, 5, 0);

    @Test
    void eachExchangeHidesOnlyBehindItsPartner() {
        // Dispatch fwd beside mlp bwd: 5 - 4 = 1 exposed; combine fwd beside pre-dispatch bwd: 5 < 7, none.
        assertThat(phases.exposedDispatchUs()).isCloseTo(1, within(1e-12));
        assertThat(phases.exposedCombineUs()).isZero();
        // Combine bwd beside pre-dispatch fwd: 5 - 3 = 2; dispatch bwd beside mlp fwd: 5 - 2 = 3.
        assertThat(phases.exposedBackwardUs()).isCloseTo(5, within(1e-12));
    }

    @Test
    void thePairedLayerTakesTheSumOfItsFourPhases() {
        // The schedule by hand: max(cb 5, pre fwd 3) + max(d 5, mlp bwd 4) + max(db 5, mlp fwd 2)
        // + max(c 5, pre bwd 7) = 5 + 5 + 5 + 7 = 22, against 16 of compute: 6 exposed.
        double compute = 3 + 2 + 7 + 4;
        double exposed = phases.exposedDispatchUs() + phases.exposedCombineUs() + phases.exposedBackwardUs();
        assertThat(compute + exposed).isCloseTo(22, within(1e-12));
    }

    /**
     * Exchange kernels on a quarter of the SMs: the compute beside them runs at 3/4 speed. By hand,
     * phase by phase, on a unit GPU: combine bwd 5 beside pre fwd 3 -> the compute needs 3 / 0.75 = 4
     * < 5, so the phase is 5 (2 exposed, as before); dispatch 5 beside mlp bwd 4 -> 4 / 0.75 = 5.33
     * > 5: 5 of it at 3/4 speed do 3.75 of the 4, the last 0.25 alone: 5.25 (1.25 exposed); dispatch
     * bwd 5 beside mlp fwd 2 -> 2.67 < 5: 5 (3); combine 5 beside pre bwd 7 -> 9.33 > 5: 5 + (7 -
     * 3.75) = 8.25 (1.25, where without the share it hid entirely).
     */
    @Test
    void theComputeBesideAnExchangeRunsOnTheSmsItLeaves() {
        EpOverlapPhases shared = new EpOverlapPhases(3, 2, 7, 4, 5, 5, 5, 5, 0.25);
        assertThat(shared.exposedDispatchUs()).isCloseTo(1.25, within(1e-12));
        assertThat(shared.exposedCombineUs()).isCloseTo(1.25, within(1e-12));
        assertThat(shared.exposedBackwardUs()).isCloseTo(5, within(1e-12));
    }
}
