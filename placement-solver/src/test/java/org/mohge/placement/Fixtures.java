package org.mohge.placement;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;

/** Small models, clusters and problems shared by the tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static ModelSpec model(int hidden, MoeLayerSpec moe) {
        return new ModelSpec(hidden, 4, 0, 0, 32000, false, null, new GqaAttention(8, 8, 128, null), moe);
    }

    /** MoHGE-style: 3 groups of 8 experts with hidden 256, 512 and 1024; top-2 groups, top-2 experts. */
    public static ModelSpec groupedModel() {
        return model(1024, new GroupedMoe(List.of(new ExpertGroup(256, 8), new ExpertGroup(512, 8),
                new ExpertGroup(1024, 8)), 2, 2, 0, 0, null));
    }

    public static ModelSpec uniformModel(int experts, int hidden) {
        return model(1024, new UniformMoe(experts, hidden, 2, 0, 0, null));
    }

    public static ClusterSpec h100(int nodes, int gpusPerNode) {
        return ClusterSpec.of(GpuCatalog.get("h100-sxm"), nodes, gpusPerNode);
    }

    public static WorkloadSpec training(long tokensPerStep) {
        return new WorkloadSpec(WorkloadKind.TRAINING, tokensPerStep, 4096, 1);
    }

    public static CostModel costModel(ClusterSpec cluster) {
        return new AnalyticalCostModel(cluster);
    }

    public static LoadProfile profile(double... loads) {
        List<Double> list = new ArrayList<>();
        for (double l : loads) {
            list.add(l);
        }
        return new LoadProfile(List.of(new LayerLoad(0, list)));
    }

    /** Loads that fall off as 1 / (1 + index % 8): skewed inside every group of 8. */
    public static LoadProfile skewed(int experts, double scale) {
        double[] loads = new double[experts];
        for (int e = 0; e < experts; e++) {
            loads[e] = scale / (1 + e % 8);
        }
        return profile(loads);
    }

    public static PlacementProblem problem(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload,
                                           LoadProfile loads, int spareSlots) {
        return new PlacementProblem(model, cluster, workload, loads, spareSlots, PlacementProblem.UNLIMITED,
                PlacementProblem.NO_CLOCK_CAP, 1, 7);
    }

    /** The grouped model on 1 x 4 H100s, training 64k tokens per step, skewed loads. */
    public static PlacementProblem groupedProblem(int spareSlots) {
        ModelSpec model = groupedModel();
        return problem(model, h100(1, 4), training(65536), skewed(model.moe().expertCount(), 10000), spareSlots);
    }
}
