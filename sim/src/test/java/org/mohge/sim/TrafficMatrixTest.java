package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingSpec;

/** The GPU x GPU matrix adds up to the all-to-all totals the cost model priced, node by node. */
class TrafficMatrixTest {
    @Test
    void gpuMatrixSumsToIntraAndInterNodeBytes() {
        GroupedMoe moe = new GroupedMoe(List.of(new ExpertGroup(128, 8), new ExpertGroup(256, 8)), 1, 2, 0, 0,
                Activation.SWIGLU);
        ModelSpec model = new ModelSpec(256, 2, 0, 0, 100, true, DType.BF16, new GqaAttention(4, 2, 64), moe);
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 2, 2);
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.TRAINING, 4096, 512, 2);
        SimResult r = Simulator.run(new SimulationInput(model, cluster, workload, RoutingSpec.defaults(),
                Placements.groupDecoupled(moe, 4), new AnalyticalCostModel(cluster), 5));
        double intra = 0;
        double inter = 0;
        List<List<Double>> m = r.gpuTrafficBytes();
        assertThat(m).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(m.get(i).get(i)).isZero();
            for (int j = 0; j < 4; j++) {
                if (cluster.sameNode(i, j)) {
                    intra += m.get(i).get(j);
                } else {
                    inter += m.get(i).get(j);
                }
            }
        }
        assertThat(intra).isCloseTo(r.intraNodeBytes(), within(1e-6 * r.intraNodeBytes()));
        assertThat(inter).isCloseTo(r.interNodeBytes(), within(1e-6 * r.interNodeBytes()));
        assertThat(inter).isPositive();
    }
}
