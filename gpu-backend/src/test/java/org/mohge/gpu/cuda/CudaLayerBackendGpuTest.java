package org.mohge.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerRun;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.PartitionRun;
import org.mohge.gpu.api.PartitionWork;
import org.mohge.gpu.api.Routing;
import org.mohge.gpu.api.RoutingComparison;
import org.mohge.gpu.cpu.CpuLayerBackend;

/** CUDA against the CPU reference: outputs within bf16 tolerance, the same routing wherever scores are not near-tied. */
class CudaLayerBackendGpuTest {

    @GpuTest
    void forwardMatchesTheCpuReferenceForAllLayerKinds() {
        try (CudaLayerBackend cuda = CudaLayerBackend.open(); CpuLayerBackend cpu = new CpuLayerBackend()) {
            for (MoeLayerSpec spec : GpuLayers.all()) {
                for (int tokens : new int[] {1, 300, 2000}) {
                    LayerWeights w = LayerWeights.random(spec, 256, 7);
                    FloatMatrix x = LayerWeights.randomTokens(tokens, 256, 8);
                    try (ExecutableLayer gl = cuda.load(w); ExecutableLayer cl = cpu.load(w)) {
                        LayerRun g = gl.forward(x);
                        LayerRun c = cl.forward(x);
                        assertThat(g.output().maxRelDiff(c.output())).as("%s, %d tokens", spec.kind(), tokens)
                                .isLessThanOrEqualTo(2e-2);
                        assertSameRoutingUnlessTied(w, x, g.routing(), c.routing());
                        assertThat(g.timings().totalUs()).isPositive();
                    }
                }
            }
        }
    }

    @GpuTest
    void partitionsAddUpToTheRoutedOutput() {
        MoeLayerSpec spec = GpuLayers.all().get(2);
        LayerWeights w = LayerWeights.random(spec, 256, 9);
        FloatMatrix x = LayerWeights.randomTokens(500, 256, 10);
        List<ExpertPlacement> list = new ArrayList<>();
        for (int e = 0; e < spec.expertCount(); e++) {
            list.add(new ExpertPlacement(e, List.of(new ExpertReplica(e % 3, 1.0))));
        }
        Placement placement = new Placement("round-robin", 3, list);
        try (CudaLayerBackend cuda = CudaLayerBackend.open(); CpuLayerBackend cpu = new CpuLayerBackend();
             ExecutableLayer gl = cuda.load(w); ExecutableLayer cl = cpu.load(w)) {
            LayerRun run = gl.forward(x, placement);
            assertThat(run.timings().partitions()).hasSize(3);
            Routing routing = cl.route(x);
            float[] sumGpu = new float[x.rows() * 256];
            float[] sumCpu = new float[x.rows() * 256];
            for (PartitionWork work : PartitionWork.split(routing, placement)) {
                PartitionRun pg = gl.runPartition(x, work);
                PartitionRun pc = cl.runPartition(x, work);
                assertThat(pg.timeUs()).isPositive();
                for (int i = 0; i < sumGpu.length; i++) {
                    sumGpu[i] += pg.partialOutput().data()[i];
                    sumCpu[i] += pc.partialOutput().data()[i];
                }
            }
            assertThat(new FloatMatrix(x.rows(), 256, sumGpu).maxRelDiff(new FloatMatrix(x.rows(), 256, sumCpu)))
                    .isLessThanOrEqualTo(2e-2);
        }
    }

    /** Same experts in the same slots, except for tokens with a near-tied top-k decision. */
    private static void assertSameRoutingUnlessTied(LayerWeights w, FloatMatrix x, Routing gpu, Routing cpu) {
        RoutingComparison c = RoutingComparison.compare(w, x, cpu, gpu, 1e-4);
        assertThat(c.unexcused()).as("%s: tokens routed differently without a near-tie", w.spec().kind()).isZero();
        assertThat(gpu.groupsPerToken()).isEqualTo(cpu.groupsPerToken());
    }
}
