package org.mohge.gpu.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
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

class CpuLayerBackendTest {
    private static final int D = 32;
    private static final int T = 150; // not a multiple of the row blocks

    static Stream<MoeLayerSpec> layers() {
        return TestLayers.all().stream();
    }

    @ParameterizedTest
    @MethodSource("layers")
    void forwardMatchesNaivePerTokenImplementation(MoeLayerSpec spec) {
        LayerWeights w = LayerWeights.random(spec, D, 11);
        FloatMatrix x = LayerWeights.randomTokens(T, D, 12);
        double[][] expected = NaiveMoe.forward(w, x);
        try (CpuLayerBackend backend = new CpuLayerBackend(2); ExecutableLayer layer = backend.load(w)) {
            LayerRun run = layer.forward(x);
            Routing r = run.routing();
            double scale = 0;
            double maxDiff = 0;
            for (int t = 0; t < T; t++) {
                NaiveMoe.TokenChoice c = NaiveMoe.route(w, x.data(), t * D);
                for (int s = 0; s < c.experts().length; s++) {
                    assertThat(r.expert(t, s)).as("token %d slot %d", t, s).isEqualTo(c.experts()[s]);
                    assertThat((double) r.weight(t, s)).isCloseTo(c.weights()[s], org.assertj.core.api.Assertions.within(1e-6));
                }
                for (int j = 0; j < c.groups().length; j++) {
                    assertThat(r.group(t, j)).isEqualTo(c.groups()[j]);
                }
                for (int k = 0; k < D; k++) {
                    scale = Math.max(scale, Math.abs(expected[t][k]));
                    maxDiff = Math.max(maxDiff, Math.abs(expected[t][k] - run.output().get(t, k)));
                }
            }
            assertThat(scale).isGreaterThan(1e-3); // the layer does something
            assertThat(maxDiff / scale).isLessThan(1e-5);
            assertThat(run.timings().expertUs()).hasSize(spec.expertCount());
            assertThat(run.timings().partitions()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void resultsAreBitIdenticalForAnyThreadCount(MoeLayerSpec spec) {
        LayerWeights w = LayerWeights.random(spec, D, 5);
        FloatMatrix x = LayerWeights.randomTokens(T, D, 6);
        float[] reference = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (CpuLayerBackend backend = new CpuLayerBackend(threads)) {
                float[] y = backend.load(w).forward(x).output().data();
                if (reference == null) {
                    reference = y;
                } else {
                    assertThat(y).as("%d threads", threads).containsExactly(reference);
                }
            }
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        MoeLayerSpec spec = TestLayers.grouped();
        LayerWeights a = LayerWeights.random(spec, D, 1);
        LayerWeights b = LayerWeights.random(spec, D, 1);
        LayerWeights c = LayerWeights.random(spec, D, 2);
        assertThat(a.experts().get(7).down().data()).containsExactly(b.experts().get(7).down().data());
        assertThat(a.groupGate().data()).containsExactly(b.groupGate().data());
        assertThat(a.experts().get(7).down().data()).isNotEqualTo(c.experts().get(7).down().data());
        // Shapes follow the spec: group 2 experts are 36 wide.
        assertThat(a.experts().get(10).hidden()).isEqualTo(36);
        assertThat(a.groupGate().cols()).isEqualTo(3);
        assertThat(a.sharedExperts()).singleElement().extracting(e -> e.hidden()).isEqualTo(12);
    }

    @ParameterizedTest
    @MethodSource("layers")
    void partitionsAddUpToTheRoutedOutput(MoeLayerSpec spec) {
        LayerWeights w = LayerWeights.random(spec, D, 21);
        FloatMatrix x = LayerWeights.randomTokens(T, D, 22);
        int experts = spec.expertCount();
        // Two GPUs, experts alternate; expert 0 is replicated half/half on both GPUs.
        List<ExpertPlacement> list = new java.util.ArrayList<>();
        for (int e = 0; e < experts; e++) {
            list.add(e == 0
                    ? new ExpertPlacement(e, List.of(new ExpertReplica(0, 0.5), new ExpertReplica(1, 0.5)))
                    : new ExpertPlacement(e, List.of(new ExpertReplica(e % 2, 1.0))));
        }
        Placement placement = new Placement("alternate", 2, list);
        try (CpuLayerBackend backend = new CpuLayerBackend(2); ExecutableLayer layer = backend.load(w)) {
            LayerRun run = layer.forward(x, placement);
            assertThat(run.timings().partitions()).hasSize(2);
            int activations = run.timings().partitions().stream().mapToInt(p -> p.activations()).sum();
            assertThat(activations).isEqualTo(T * spec.routedExpertsPerToken());

            // Routed part of the naive output = sum over partitions of their partial outputs.
            double[][] routedOnly = NaiveMoe.forward(withoutShared(w), x);
            double[] sum = new double[T * D];
            for (PartitionWork work : PartitionWork.split(run.routing(), placement)) {
                PartitionRun pr = layer.runPartition(x, work);
                assertThat(pr.expertUs()).hasSize(work.experts().size());
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += pr.partialOutput().data()[i];
                }
            }
            double scale = 0;
            double diff = 0;
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < D; k++) {
                    scale = Math.max(scale, Math.abs(routedOnly[t][k]));
                    diff = Math.max(diff, Math.abs(routedOnly[t][k] - sum[t * D + k]));
                }
            }
            assertThat(diff / scale).isLessThan(1e-5);
        }
    }

    private static LayerWeights withoutShared(LayerWeights w) {
        MoeLayerSpec spec;
        if (w.spec() instanceof org.mohge.costmodel.arch.UniformMoe u) {
            spec = new org.mohge.costmodel.arch.UniformMoe(u.experts(), u.expertHidden(), u.topK(), 0, 0, u.activation());
        } else if (w.spec() instanceof org.mohge.costmodel.arch.HeterogeneousMoe h) {
            spec = new org.mohge.costmodel.arch.HeterogeneousMoe(h.expertHidden(), h.topK(), 0, 0, h.activation());
        } else {
            org.mohge.costmodel.arch.GroupedMoe g = (org.mohge.costmodel.arch.GroupedMoe) w.spec();
            spec = new org.mohge.costmodel.arch.GroupedMoe(g.groups(), g.topGroups(), g.topExpertsPerGroup(), 0, 0,
                    g.activation());
        }
        return new LayerWeights(spec, w.modelHidden(), w.groupGate(), w.expertGate(), w.experts(), List.of());
    }
}
