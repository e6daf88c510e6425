package org.mohge.costmodel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;

class MemoryModelTest {
    /** Same tiny model as ParamAccountingTest: 3720 params, of which 3072 in routed experts (384 each). */
    private static final ModelSpec MODEL = new ModelSpec(8, 2, 0, 0, 10, false, DType.BF16,
            new GqaAttention(2, 1, 4), new UniformMoe(4, 16, 2, 0, 0, Activation.SWIGLU));
    private static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 2);

    @Test
    void trainingMemoryByHand() {
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.TRAINING, 20, 10, 1);
        List<MemoryEstimate> m = MemoryModel.perGpu(MODEL, CLUSTER, workload,
                Placements.contiguous(MODEL.moe(), 2), MODEL.moe().defaultExpertShares());
        MemoryEstimate gpu0 = m.get(0);
        // replicated 3720 - 3072 = 648; experts on GPU 0: 2 experts x 384 x 2 layers = 1536
        assertThat(gpu0.weightBytes()).isCloseTo((648 + 1536) * 2.0, within(1e-9));
        assertThat(gpu0.gradientBytes()).isCloseTo(gpu0.weightBytes(), within(1e-9));
        // Adam: 12 B x (648 / 2 GPUs + 1536)
        assertThat(gpu0.optimizerBytes()).isCloseTo(12.0 * (324 + 1536), within(1e-9));
        // 10 tokens/GPU. Attention per token and layer: 2d 16 + q 8 + k,v 8 + attention out 8 = 40 values.
        // MoE per layer: each local expert gets 10 * 2 GPUs * top-2 * 1/4 = 10 copies of d + 3W = 56 values
        // (2 experts: 1120), plus 2d per token for the norm input and combine output (160).
        double values = 2 * 10 * 40 + 2 * (1120 + 160);
        assertThat(gpu0.activationBytes()).isCloseTo(values * 2, within(1e-9));
        assertThat(gpu0.capacityBytes()).isEqualTo((double) GpuCatalog.get("h100-sxm").hbmBytes());
        assertThat(gpu0.fits()).isTrue();
    }

    @Test
    void inferenceKeepsWeightsAndKvCacheOnly() {
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, 20, 10, 1);
        MemoryEstimate gpu1 = MemoryModel.perGpu(MODEL, CLUSTER, workload, Placements.contiguous(MODEL.moe(), 2),
                MODEL.moe().defaultExpertShares()).get(1);
        assertThat(gpu1.gradientBytes()).isZero();
        assertThat(gpu1.optimizerBytes()).isZero();
        // KV cache: 10 tokens x 2 layers x (k + v: 2 x 1 kv head x 4) values x 2 bytes
        assertThat(gpu1.kvCacheBytes()).isCloseTo(10 * 2 * 8 * 2.0, within(1e-9));
    }
}
