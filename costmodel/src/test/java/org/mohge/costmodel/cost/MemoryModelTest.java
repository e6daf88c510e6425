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
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
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

    /**
     * Per-layer maps: MoE layer 0 contiguous (GPU 0 holds experts 0, 1), layer 1 with experts 0, 1, 2
     * on GPU 0 and expert 3 on GPU 1. GPU 0 then holds 2 + 3 = 5 expert copies of 384 params.
     */
    @Test
    void perLayerMapsCountEachLayersCopies() {
        LayeredPlacement maps = LayeredPlacement.of("mixed", List.of(0, 1),
                List.of(Placements.contiguous(MODEL.moe(), 2), oneGpuHolds(0, 1, 2)));
        assertThat(maps.layerCounts(2)).containsExactly(1, 1);
        double[] shares = MODEL.moe().defaultExpertShares();
        MemoryEstimate training = MemoryModel.perGpu(MODEL, CLUSTER,
                new WorkloadSpec(WorkloadKind.TRAINING, 20, 10, 1), maps, shares).get(0);
        // replicated 648 + 5 copies x 384 = 2568 params
        assertThat(training.weightBytes()).isCloseTo(2568 * 2.0, within(1e-9));
        assertThat(training.optimizerBytes()).isCloseTo(12.0 * (324 + 1920), within(1e-9));
        // attention 2 layers x 10 tokens x 40 = 800; layer 0: 2 experts x 10 copies x 56 = 1120, layer 1:
        // 3 x 10 x 56 = 1680; each MoE layer 160 for the norm input and combine output
        assertThat(training.activationBytes()).isCloseTo((800 + 1120 + 160 + 1680 + 160) * 2.0, within(1e-9));
        // Inference keeps one layer: the larger is layer 1, 1680 + 30 received copies x d 8 = 1920,
        // plus one layer's attention 10 x 40 = 400
        MemoryEstimate inference = MemoryModel.perGpu(MODEL, CLUSTER,
                new WorkloadSpec(WorkloadKind.INFERENCE, 20, 10, 1), maps, shares).get(0);
        assertThat(inference.activationBytes()).isCloseTo((400 + 1920) * 2.0, within(1e-9));
        // One map listed from layer 1 on: layer 0 uses the first map, so both layers count it.
        assertThat(LayeredPlacement.of("x", List.of(1), List.of(oneGpuHolds(0))).layerCounts(2)).containsExactly(2);
    }

    /** The given experts on GPU 0, the others on GPU 1. */
    private static Placement oneGpuHolds(int... onGpu0) {
        List<ExpertPlacement> experts = new java.util.ArrayList<>();
        for (int e = 0; e < 4; e++) {
            final int expert = e;
            boolean first = java.util.Arrays.stream(onGpu0).anyMatch(x -> x == expert);
            experts.add(new ExpertPlacement(e, List.of(new ExpertReplica(first ? 0 : 1, 1.0))));
        }
        return new Placement("custom", 2, experts);
    }
}
