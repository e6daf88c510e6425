package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.GemmShape;
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
            public double hostIssueUsPerKernel() {
                return usPerKernel;
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
        // bf16 (q = 0), E = 4: a layer's forward issues attention 10 + MoE 35 + 2*4 = 53 operations,
        // its backward 13 + 15 + 2*4*2 = 44. At 1 ms per operation every segment is host-bound (the
        // toy's layer is well under a millisecond of GPU work), so the stage's two layers take
        // 2 * 53 ms forward and 2 * 44 ms backward, whatever the GPU does.
        StagePrice s = stage0(withHost(1000));
        assertThat(s.forwardUs()).isCloseTo(2 * 53 * 1000.0, within(1e-6));
        assertThat(s.backwardUs()).isCloseTo(2 * 44 * 1000.0, within(1e-6));
        StagePrice gpuOnly = stage0(TrainingStepPricerTest.TOY);
        assertThat(s.hostBoundUs()).isCloseTo(s.microBatchUs() - gpuOnly.microBatchUs(), within(1e-6));
        assertThat(gpuOnly.hostBoundUs()).isZero();
    }

    @Test
    void aGpuBoundStageWaitsOnlyForTheFirstKernelAfterEachSync() {
        // 1 ns per operation: 53 ns of issue per layer forward, far under the toy GPU's time. The
        // first layer's forward follows the previous backward (no sync); the second layer's forward
        // and the backward start at a sync (the first layer's and the second's dispatcher), where
        // the GPU idles 1 ns until the host issues the next kernel: 1 ns forward, 1 ns backward.
        StagePrice s = stage0(withHost(1e-3));
        StagePrice gpuOnly = stage0(TrainingStepPricerTest.TOY);
        assertThat(s.hostBoundUs()).isCloseTo(2e-3, within(1e-9));
        assertThat(s.forwardUs()).isCloseTo(gpuOnly.forwardUs() + 1e-3, within(1e-9));
        assertThat(s.backwardUs()).isCloseTo(gpuOnly.backwardUs() + 1e-3, within(1e-9));
    }
}
