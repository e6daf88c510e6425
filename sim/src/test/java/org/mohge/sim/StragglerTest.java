package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.sim.routing.RoutingModel;

/** The busiest EP rank's excess expert time, on routings whose outcome is known by hand. */
class StragglerTest {
    static final ModelSpec MODEL = new ModelSpec(64, 4, 0, 0, 100, false, DType.BF16, new GqaAttention(4, 2, 16),
            new UniformMoe(8, 32, 2, 0, 0, Activation.SWIGLU));

    /** Every copy goes to experts 0 and 1 (both on EP rank 0 when ep = 4: two experts per rank). */
    static final RoutingModel HOT = new RoutingModel() {
        @Override
        public int moeLayers() {
            return 4;
        }

        @Override
        public int experts() {
            return 8;
        }

        @Override
        public int picksPerToken() {
            return 2;
        }

        @Override
        public double[][] route(int step, int microBatch, long[] tokensPerGpu) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] expectedInclusion(int layer) {
            return new double[] {1, 1, 0, 0, 0, 0, 0, 0};
        }
    };

    @Test
    void allCopiesOnOneRankCostEpTimesTheBalancedTime() {
        ParallelLayout layout = ParallelLayout.of(new ParallelismSpec(1, 2, 1, 1, 4, 1, null, null, null, null, null),
                new TrainingSpec(8, 1, 16, null, null), MODEL, ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 8));
        // Rank 0 gets all copies, 4x the mean over 4 ranks: each MoE layer's experts take 4 x 10 us, 30 us extra;
        // 2 layers per stage.
        var s = TrainingSimulator.stragglers(MODEL, layout, HOT, 10.0, 16, 7);
        assertThat(s.meanFactor()).isCloseTo(4.0, within(1e-12));
        assertThat(s.extraForwardUs()[1][0][1]).isCloseTo(2 * 30.0, within(1e-9));
    }
}
