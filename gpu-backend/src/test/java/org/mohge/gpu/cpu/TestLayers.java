package org.mohge.gpu.cpu;

import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.UniformMoe;

/** Small layers of all three kinds used across the tests. */
public final class TestLayers {
    private TestLayers() {
    }

    public static MoeLayerSpec uniform() {
        return new UniformMoe(8, 24, 2, 1, 16, Activation.SWIGLU);
    }

    public static MoeLayerSpec heterogeneousGelu() {
        return new HeterogeneousMoe(List.of(8, 16, 24, 40, 16, 8), 3, 0, 0, Activation.GELU);
    }

    public static MoeLayerSpec grouped() {
        return new GroupedMoe(List.of(new ExpertGroup(8, 4), new ExpertGroup(20, 4), new ExpertGroup(36, 3)), 2, 2, 1, 12,
                Activation.SWIGLU);
    }

    public static List<MoeLayerSpec> all() {
        return List.of(uniform(), heterogeneousGelu(), grouped());
    }
}
