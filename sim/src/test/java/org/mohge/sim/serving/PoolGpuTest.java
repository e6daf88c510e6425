package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.hardware.GpuSpec;
import org.mohge.costmodel.spec.SpecViolation;

/** A disaggregated pool on another GPU kind is sized with that GPU's memory and not counted against the cluster. */
class PoolGpuTest {
    private static final double GIB = 1L << 30;

    /** Qwen3-30B-A3B's 30,532,122,624 bf16 parameters (KvCacheTest) on one GPU, pages of 16 x 98,304 bytes. */
    private static int pagesOnOneGpu(GpuSpec gpu) {
        double free = 0.9 * gpu.hbmBytes() - 2.0 * GIB - 2.0 * 30_532_122_624L;
        return (int) Math.floor(free / (16 * 98_304.0));
    }

    @Test
    void decodePoolOnAnotherGpuKind() {
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Poisson(1), new LengthSpec.Fixed(100),
                new LengthSpec.Fixed(10), 10L, null, null, null, null,
                new DisaggregationSpec(PoolSpec.single(), new PoolSpec(1, 1, 1, null, "h100-sxm"), null, null),
                null, null, null);
        ClusterSpec oneH200 = ClusterSpec.of(GpuCatalog.get("h200-sxm"), 1, 1);
        AnalyticalCostModel costModel = new AnalyticalCostModel(oneH200);
        double[][] inclusion = new double[48][128];
        for (double[] row : inclusion) {
            java.util.Arrays.fill(row, 8.0 / 128);
        }
        List<PoolSetup> pools = ServingDeployment.pools(spec, KvCacheTest.QWEN, costModel, inclusion, 1,
                gpu -> ServingDeployment.analyticalOn(gpu, oneH200));
        // the prefill pool's one GPU is the cluster's H200; the decode pool's is an H100 of its own
        assertThat(pools.get(0).kvBlocksPerReplica()).isEqualTo(pagesOnOneGpu(GpuCatalog.get("h200-sxm")));
        assertThat(pools.get(1).kvBlocksPerReplica()).isEqualTo(pagesOnOneGpu(GpuCatalog.get("h100-sxm")));
        assertThat(pools.get(1).pool().gpu()).isEqualTo("h100-sxm");
        assertThat(pools.get(0).pool().gpu()).isEqualTo("h200-sxm");

        // both pools on the cluster's kind need 2 H200s, the cluster has 1
        ServingSpec both = spec.withPools(null, new DisaggregationSpec(PoolSpec.single(), PoolSpec.single(), null,
                null));
        assertThatThrownBy(() -> ServingDeployment.pools(both, KvCacheTest.QWEN, costModel, inclusion, 1,
                gpu -> ServingDeployment.analyticalOn(gpu, oneH200))).isInstanceOf(SpecViolation.class)
                .hasMessageContaining("needs 2 h200-sxm GPUs, the cluster has 1");
        // a unified deployment runs on the cluster's GPUs
        assertThatThrownBy(() -> spec.withPools(new PoolSpec(1, 1, 1, null, "h100-sxm"), null))
                .isInstanceOf(SpecViolation.class).hasMessageContaining("deployment.gpu");
    }
}
