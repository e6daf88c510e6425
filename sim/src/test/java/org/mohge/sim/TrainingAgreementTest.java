package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.PrecisionSpec;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepReport;

/**
 * With equal stages the simulated step (bubble from the event timing) and cost's mean-field
 * estimate (closed form) are two computations of the same schedule from the same prices: they agree.
 */
class TrainingAgreementTest {
    static final ModelSpec MODEL = new ModelSpec(1024, 16, 0, 0, 32000, false, DType.BF16,
            new GqaAttention(16, 4, 64), new UniformMoe(16, 512, 2, 1, 512, Activation.SWIGLU));
    static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 4, 8);
    static final Precision BF16 = new PrecisionSpec(PrecisionRecipe.BF16, null, null, null, null, null, null, null)
            .resolve();

    private static void agree(ParallelismSpec p, TrainingSpec t) {
        ParallelLayout layout = ParallelLayout.of(p, t, MODEL, CLUSTER);
        AnalyticalCostModel costs = new AnalyticalCostModel(CLUSTER);
        TrainingStepReport estimate = TrainingStep.estimate(MODEL, layout, BF16, costs, 0);
        TrainingStepReport simulated = TrainingSimulator.run(MODEL, layout, BF16, costs, 0).report();
        assertThat(simulated.stepTimeUs()).isCloseTo(estimate.stepTimeUs(), within(0.02 * estimate.stepTimeUs()));
        assertThat(simulated.bubbleShare()).isCloseTo(estimate.bubbleShare(), within(0.02));
        assertThat(simulated.exposed().dpUs()).isCloseTo(estimate.exposed().dpUs(),
                within(0.05 * estimate.stepTimeUs()));
    }

    @Test
    void oneFOneBWithExpertAndDataParallel() {
        agree(new ParallelismSpec(2, 4, 1, 1, 4, 1, true, true, false, null, null),
                new TrainingSpec(64, 1, 2048, null, null));
    }

    @Test
    void interleavedWithFullRecompute() {
        agree(new ParallelismSpec(1, 4, 2, 1, 8, 1, false, true, false, null, null),
                new TrainingSpec(64, 1, 2048, org.mohge.costmodel.parallel.Recompute.FULL, null));
    }

    @Test
    void fsdpWithContextParallel() {
        agree(new ParallelismSpec(2, 2, 1, 2, 4, 1, true, false, true, null, null),
                new TrainingSpec(64, 1, 4096, null, null));
    }
}
