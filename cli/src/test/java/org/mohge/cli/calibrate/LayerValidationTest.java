package org.mohge.cli.calibrate;

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
import org.mohge.costmodel.calibration.GemmEfficiencyModel;
import org.mohge.costmodel.cost.CalibratedCostModel;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.gpu.api.Backends;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingSpec;

class LayerValidationTest {
    private static final GroupedMoe MOE = new GroupedMoe(List.of(new ExpertGroup(32, 4), new ExpertGroup(64, 4)), 1, 2,
            0, 0, Activation.SWIGLU);
    private static final ModelSpec MODEL = new ModelSpec(64, 1, 0, 0, 10, true, DType.BF16, new GqaAttention(1, 1, 64),
            MOE);

    @Test
    void everyRoutedCopyLandsInExactlyOnePartition() {
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, 300, 100, 1);
        RoutingModel routing = RoutingModels.create(MODEL, workload, RoutingSpec.defaults(), 3);
        double[] copies = LayerValidation.expertCopies(routing, 300, 2, MOE.expertCount());
        // 300 tokens x top-1 group x top-2 experts = 600 copies
        assertThat(java.util.Arrays.stream(copies).sum()).isCloseTo(600, within(1e-6));

        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 2);
        CalibratedCostModel model = new CalibratedCostModel(new GemmEfficiencyModel(0.01, 1, 1, 1, 10, 1, 1), "test",
                cluster);
        try (LayerBackend cpu = Backends.open("cpu", System.err)) {
            ValidationResult r = new LayerValidation(cpu, 1).validate("t", MODEL, Placements.groupDecoupled(MOE, 2),
                    routing, model, 300, 3);
            assertThat(r.partitions()).hasSize(2);
            assertThat(r.partitions().stream().mapToInt(PartitionCheck::activations).sum()).isEqualTo(600);
            // group-decoupled on 2 GPUs deals experts 0, 2, 4, 6 to GPU 0 and 1, 3, 5, 7 to GPU 1
            for (int gpu = 0; gpu < 2; gpu++) {
                long expected = 0;
                for (int e = gpu; e < 8; e += 2) {
                    expected += Math.round(copies[e]);
                }
                assertThat(r.partitions().get(gpu).activations()).as("GPU %d", gpu).isEqualTo(expected);
            }
        }
    }

    @Test
    void imbalanceIsMaxOverMean() {
        assertThat(LayerValidation.imbalance(new double[] {1, 2, 3})).isCloseTo(1.5, within(1e-12));
    }
}
