package org.mohge.gpu.cuda;

import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;

/** Layers whose widths suit the CUDA kernels (multiples of 8), with K and N tails that are not multiples of the tiles. */
final class GpuLayers {
    private GpuLayers() {
    }

    static List<MoeLayerSpec> all() {
        return List.of(
                new UniformMoe(8, 136, 2, 1, 72, Activation.SWIGLU),
                new HeterogeneousMoe(List.of(40, 80, 200, 64, 16, 104), 3, 0, 0, Activation.GELU),
                new GroupedMoe(List.of(new ExpertGroup(48, 6), new ExpertGroup(96, 4), new ExpertGroup(264, 2)), 2, 2, 1, 56,
                        Activation.SWIGLU));
    }
}
