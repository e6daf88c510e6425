package org.mohge.sim;

import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;

/** Small specs shared by the tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static ModelSpec model(int hidden, int layers, MoeLayerSpec moe) {
        return new ModelSpec(hidden, layers, 0, 0, 1000, false, DType.BF16, new GqaAttention(4, 2, 64, null), moe);
    }

    public static UniformMoe uniform(int experts, int expertHidden, int topK) {
        return new UniformMoe(experts, expertHidden, topK, 0, 0, Activation.SWIGLU);
    }

    /** Four groups of 8 experts, 256 to 2048 wide; top-2 groups, top-2 experts in each. */
    public static GroupedMoe fourGroups() {
        return new GroupedMoe(List.of(new ExpertGroup(256, 8), new ExpertGroup(512, 8), new ExpertGroup(1024, 8),
                new ExpertGroup(2048, 8)), 2, 2, 0, 0, Activation.SWIGLU);
    }

    public static ClusterSpec cluster(int nodes, int gpusPerNode) {
        return ClusterSpec.of(GpuCatalog.get("h100-sxm"), nodes, gpusPerNode);
    }

    public static WorkloadSpec inference(long tokens) {
        return new WorkloadSpec(WorkloadKind.INFERENCE, tokens, 1024, 1);
    }

    public static WorkloadSpec training(long tokens, int microBatches) {
        return new WorkloadSpec(WorkloadKind.TRAINING, tokens, 1024, microBatches);
    }
}
