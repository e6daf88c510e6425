package org.mohge.placement.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.AnalyticalParams;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuSpec;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.strategy.ReplicateStrategy;

class CopyCostTableTest {
    /** 100 SMs at 1 TFLOP/s each, 1000 GB/s; with ideal parameters times are plain arithmetic. */
    private static final GpuSpec TOY = new GpuSpec("toy", 100, 100, 0.0, 1000, 80, 100, 10, 100, 10);
    private static final AnalyticalParams IDEAL = new AnalyticalParams(1.0, 0, 1.0, 0, 0);

    @Test
    void copyTimeIsTheCopysShareOfFullWavesComputedByHand() {
        // d = 1024, SwiGLU expert of hidden 512, 4 experts, top-1, 1024 tokens per step, loads
        // 256 each: every copy serves m = 256 tokens.
        // Up GEMM 256 x 1024 x 1024: 2 x 8 = 16 tiles of 2*128*128*1024 FLOP = 33.554432 us on one
        // SM; down GEMM 256 x 1024 x 512: 16 tiles of 16.777216 us. With full waves the copy's
        // share is (16 * 33.554432 + 16 * 16.777216) / 100 SMs = 8.05306 us. Both are compute
        // bound (up reads 2.62 MB = 2.62 us, down 1.84 MB = 1.84 us). The SwiGLU product streams
        // 256 * 512 * 3 values * 2 B = 786,432 B = 0.786432 us. Total 8.839496 us.
        ModelSpec model = Fixtures.model(1024, new org.mohge.costmodel.arch.UniformMoe(4, 512, 1, 0, 0, null));
        ClusterSpec cluster = ClusterSpec.of(TOY, 1, 2);
        PlacementProblem problem = Fixtures.problem(model, cluster,
                new WorkloadSpec(WorkloadKind.INFERENCE, 1024, 1024, 1), Fixtures.profile(256, 256, 256, 256), 0);
        CopyCostTable table = CopyCostTable.build(problem, new AnalyticalCostModel(cluster, IDEAL));
        double expected = (16 * 33.554432 + 16 * 16.777216) / 100 + 0.786432;
        assertThat(table.copyTimeUs(0, 1)).isCloseTo(expected, within(1e-6));
        assertThat(table.fixedUs()).isCloseTo(0, within(1e-9));
    }

    @Test
    void fixedTimeIsTheThreeKernelLaunches() {
        // The default analytical model charges 4 us per launch: up GEMM, SwiGLU, down GEMM.
        PlacementProblem problem = Fixtures.groupedProblem(0);
        CopyCostTable table = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
        assertThat(table.fixedUs()).isCloseTo(3 * AnalyticalParams.DEFAULTS.launchOverheadUs(), within(1e-6));
    }

    @Test
    void splittingAnExpertNeverLowersItsTotalWork() {
        PlacementProblem problem = Fixtures.groupedProblem(3);
        CopyCostTable table = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
        for (int e = 0; e < table.expertCount(); e++) {
            double one = table.copyTimeUs(e, 1);
            for (int r = 2; r <= table.maxCopiesPerExpert(); r++) {
                assertThat(r * table.copyTimeUs(e, r)).isGreaterThanOrEqualTo(one - 1e-9);
                assertThat(table.copyTimeUs(e, r)).isLessThanOrEqualTo(one + 1e-9);
            }
        }
    }

    @Test
    void fixedPlusCopyBytesMatchTheMemoryModelForAnyPlacement() {
        // Independent check of the linearised memory: for random placements with replicas, the
        // budget left for experts minus what the copies use equals the MemoryModel's headroom.
        for (WorkloadKind kind : WorkloadKind.values()) {
            PlacementProblem problem = memoryProblem(kind);
            CopyCostTable table = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
            SplittableRandom random = new SplittableRandom(5);
            for (int trial = 0; trial < 5; trial++) {
                List<ExpertPlacement> experts = new ArrayList<>();
                int[] copies = new int[24];
                for (int e = 0; e < 24; e++) {
                    copies[e] = 1 + random.nextInt(table.maxCopiesPerExpert());
                    int first = random.nextInt(4);
                    List<ExpertReplica> replicas = new ArrayList<>();
                    for (int c = 0; c < copies[e]; c++) {
                        replicas.add(new ExpertReplica((first + c) % 4, ReplicateStrategy.shareOf(c, copies[e])));
                    }
                    experts.add(new ExpertPlacement(e, replicas));
                }
                assertHeadroomMatchesMemoryModel(problem, table, new Placement("random", 4, experts),
                        held -> table.copyBytes(held.expert(), copies[held.expert()]));
            }
        }
    }

    @Test
    void shareBytesMatchTheMemoryModelForUnevenShares() {
        // As above, with random uneven shares (what a re-split leaves): the copies' bytes by share
        // plus the headroom the MemoryModel reports give the budget for experts.
        for (WorkloadKind kind : WorkloadKind.values()) {
            PlacementProblem problem = memoryProblem(kind);
            CopyCostTable table = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
            SplittableRandom random = new SplittableRandom(11);
            List<ExpertPlacement> experts = new ArrayList<>();
            for (int e = 0; e < 24; e++) {
                int copies = 1 + random.nextInt(3);
                double[] weights = new double[copies];
                double sum = 0;
                for (int c = 0; c < copies; c++) {
                    weights[c] = 0.1 + random.nextDouble();
                    sum += weights[c];
                }
                List<ExpertReplica> replicas = new ArrayList<>();
                for (int c = 0; c < copies; c++) {
                    replicas.add(new ExpertReplica((e + c) % 4, weights[c] / sum));
                }
                experts.add(new ExpertPlacement(e, replicas));
            }
            assertHeadroomMatchesMemoryModel(problem, table, new Placement("uneven", 4, experts),
                    held -> table.copyBytesForShare(held.expert(), held.share()));
        }
    }

    /** The grouped model's 24 experts on 1 x 4 H100s, 65k tokens in 2 micro-batches, 6 spare slots. */
    private static PlacementProblem memoryProblem(WorkloadKind kind) {
        WorkloadSpec workload = new WorkloadSpec(kind, 65536, 4096, 2);
        return Fixtures.problem(Fixtures.groupedModel(), Fixtures.h100(1, 4), workload, Fixtures.skewed(24, 1000), 6);
    }

    /** On every GPU, the table's budget minus {@code bytesOfCopy} over its copies is the MemoryModel's headroom. */
    private static void assertHeadroomMatchesMemoryModel(PlacementProblem problem, CopyCostTable table,
                                                         Placement placement, ToDoubleFunction<HeldCopy> bytesOfCopy) {
        List<MemoryEstimate> memory = MemoryModel.perGpu(problem.model(), problem.cluster(), problem.workload(),
                placement, problem.meanShares());
        List<List<HeldCopy>> byGpu = placement.copiesByGpu();
        for (int g = 0; g < placement.gpuCount(); g++) {
            double used = 0;
            for (HeldCopy held : byGpu.get(g)) {
                used += bytesOfCopy.applyAsDouble(held);
            }
            assertThat(table.expertBudgetBytes() - used)
                    .isCloseTo(memory.get(g).headroomBytes(), within(1e-3 * 1024 * 1024));
        }
    }

    @Test
    void allToAllTimePerCopyByHand() {
        // One node of 4 H100s (NVLink 450 GB/s): a token's hidden state (1024 x 2 B) goes out in
        // dispatch and back in combine, 3 of 4 senders over NVLink: 2 * 2048 B * 3/4 / 450,000 B/us
        // per token. Expert 0 gets 10000 / sum(loads) of 65536 * 4 token copies.
        PlacementProblem problem = Fixtures.groupedProblem(3);
        CopyCostTable table = CopyCostTable.build(problem, Fixtures.costModel(problem.cluster()));
        double[] loads = problem.loads().layers().get(0).loads();
        double total = java.util.Arrays.stream(loads).sum();
        double tokens = loads[0] / total * 65536 * 4;
        double expected = tokens * 2 * 2048 * 0.75 / 450_000;
        assertThat(table.copyCommUs(0, 1)).isCloseTo(expected, within(1e-9));
        assertThat(table.copyCommUs(0, 2)).isCloseTo(expected / 2, within(1e-9));
    }
}
