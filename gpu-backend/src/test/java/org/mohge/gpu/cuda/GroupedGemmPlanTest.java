package org.mohge.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.cpu.CpuLayerBackend;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.LayerRun;

/** Host-side planning of the CUDA launches, checked without a GPU. */
class GroupedGemmPlanTest {

    @Test
    void tilesCoverEveryExpertsOutputBlockOnceAndSkipEmptyExperts() {
        // rows 300 x n 72 with 128 x 64 tiles: 3 x 2 = 6 tiles; an empty expert: none; rows 1 x n 8: 1 tile.
        List<ExpertDesc> descs = List.of(new ExpertDesc(0, 0, 0, 0, 300, 16, 72), new ExpertDesc(0, 0, 0, 0, 0, 16, 72),
                new ExpertDesc(0, 0, 0, 0, 1, 16, 8));
        GroupedGemmPlan plan = GroupedGemmPlan.of(descs, 64);
        assertThat(plan.tileCount()).isEqualTo(7);
        assertThat(plan.tiles()).startsWith(0, 0, 0, 0, 0, 1, 0, 1, 0).endsWith(2, 0, 0);
    }

    @Test
    void descriptorsPackAsTheKernelStructLittleEndian() {
        GroupedGemmPlan plan = GroupedGemmPlan.of(List.of(new ExpertDesc(8, 16, 24, 32, 5, 40, 48)), 64);
        ByteBuffer b = ByteBuffer.wrap(plan.packedDescs()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.remaining()).isEqualTo(48);
        assertThat(new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()}).containsExactly(8, 16, 24, 32);
        assertThat(new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()}).containsExactly(5, 40, 48, 0);
    }

    @Test
    void widthsThatAreNotMultiplesOf8AreRejected() {
        assertThatThrownBy(() -> new ExpertDesc(0, 0, 0, 0, 4, 20, 8)).hasMessageContaining("multiples of 8");
    }

    static Stream<MoeLayerSpec> layers() {
        return GpuLayers.all().stream();
    }

    /**
     * The emulated CUDA pipeline (same slot tables, offsets, tiles and combine indexing as the host
     * code, kernel arithmetic in bf16/fp32) matches the CPU reference within bf16 tolerance, and
     * every H and Yp element is written by exactly one tile.
     */
    @ParameterizedTest
    @MethodSource("layers")
    void emulatedCudaPipelineMatchesTheCpuReference(MoeLayerSpec spec) {
        int d = 64;
        LayerWeights w = LayerWeights.random(spec, d, 3);
        FloatMatrix x = LayerWeights.randomTokens(140, d, 4);
        try (CpuLayerBackend cpu = new CpuLayerBackend(2); ExecutableLayer layer = cpu.load(w)) {
            LayerRun reference = layer.forward(x);
            List<int[]> writes = new ArrayList<>();
            FloatMatrix emulated = KernelEmulator.forward(w, x, reference.routing(), writes);
            assertThat(emulated.maxRelDiff(reference.output())).isLessThan(2e-2).isGreaterThan(0);
            for (int[] perElement : writes) {
                assertThat(perElement).containsOnly(1);
            }
        }
    }
}
