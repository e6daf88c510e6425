package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.GemmShape;
import org.mohge.costmodel.cost.HostCosts;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.hardware.ClusterSpec;

/** The step's host-bound time on {@link TrainingStepPricerTest}'s toy prices, with a host issue cost per kernel. */
class HostBoundStepTest {

    private static CostModel withHost(double usPerKernel) {
        CostModel toy = TrainingStepPricerTest.TOY;
        return new CostModel() {
            @Override
            public String description() {
                return "toy with host";
            }

            @Override
            public ClusterSpec cluster() {
                return toy.cluster();
            }

            @Override
            public HostCosts hostCosts() {
                return new HostCosts(usPerKernel, usPerKernel);
            }

            @Override
            public OpCost gemm(GemmShape shape, DType dtype) {
                return toy.gemm(shape, dtype);
            }

            @Override
            public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
                return toy.groupedGemm(shapes, dtype);
            }

            @Override
            public OpCost memoryBound(double bytes) {
                return toy.memoryBound(bytes);
            }

            @Override
            public AllToAllCost allToAll(double[][] bytes) {
                return toy.allToAll(bytes);
            }
        };
    }

    /** Stage 0 of pp 2: 2 of the toy's 4 MoE layers, no LM head; ep 4 puts 16 / 4 = 4 experts on a rank. */
    private static StagePrice stage0(CostModel costModel) {
        ParallelLayout layout = ParallelLayout.of(TrainingStepPricerTest.spec(1, 2, 4, true),
                new TrainingSpec(16, 1, 1024, Recompute.NONE, null), TrainingStepPricerTest.MODEL,
                TrainingStepPricerTest.CLUSTER);
        return new TrainingStepPricer(TrainingStepPricerTest.MODEL, layout, TrainingStepPricerTest.BF16, costModel, 0)
                .price().get(0);
    }

    @Test
    void aHostBoundStageTakesTheHostsIssueTime() {
        // bf16 (q = 0), E = 4: a layer's forward issues attention 10 + routing 24 + exchange 9 +
        // experts 4 + 2*4 = 55, its backward 13 + 6 + 7 + 4 + 2*4*2 = 46. At 1 ms each the host
        // issues the stage's two layers in 2 * 55 ms forward and 2 * 46 ms backward, far beyond the
        // toy GPU's work; the GPU ends each pass at most its own work after the host's last issue.
        StagePrice s = stage0(withHost(1000));
        StagePrice gpuOnly = stage0(TrainingStepPricerTest.TOY);
        assertThat(s.forwardUs()).isBetween(2 * 55 * 1000.0, 2 * 55 * 1000.0 + gpuOnly.forwardUs());
        assertThat(s.backwardUs()).isBetween(2 * 46 * 1000.0, 2 * 46 * 1000.0 + gpuOnly.backwardUs());
        assertThat(s.hostBoundUs()).isCloseTo(s.microBatchUs() - gpuOnly.microBatchUs(), within(1e-6));
        assertThat(gpuOnly.hostBoundUs()).isZero();
    }

    @Test
    void aGpuBoundStageWaitsOnlyForTheFirstKernelAfterEachSync() {
        // 1 ns per operation, far under the toy GPU's kernels. The GPU waits 1 ns for the micro-batch's
        // first kernel and 1 ns after each of the two layers' dispatcher syncs, for the first kernel
        // the host issues then; the backward follows with the host ahead: 3 ns forward, none backward.
        StagePrice s = stage0(withHost(1e-3));
        StagePrice gpuOnly = stage0(TrainingStepPricerTest.TOY);
        assertThat(s.hostBoundUs()).isCloseTo(3e-3, within(1e-9));
        assertThat(s.forwardUs()).isCloseTo(gpuOnly.forwardUs() + 3e-3, within(1e-9));
        assertThat(s.backwardUs()).isCloseTo(gpuOnly.backwardUs(), within(1e-9));
    }
}
