package org.mohge.gpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.UniformMoe;

class RoutingComparisonTest {

    @Test
    void differencesAreExcusedOnlyOnNearTies() {
        // d = 1, so the logits are x times the gate row. Token 0 (x = 1): 0.5, 0.5000001, -1, a near-tie for top-1.
        // Token 1 (x = -1): -0.5, -0.5000001, 1, expert 2 wins by 1.5: no tie.
        UniformMoe spec = new UniformMoe(3, 8, 1, 0, 0, Activation.SWIGLU);
        LayerWeights random = LayerWeights.random(spec, 1, 1);
        FloatMatrix gate = new FloatMatrix(1, 3, new float[] {0.5f, 0.5000001f, -1f});
        LayerWeights w = new LayerWeights(spec, 1, random.groupGate(), gate, random.experts(), List.of());
        FloatMatrix x = new FloatMatrix(2, 1, new float[] {1f, -1f});
        Routing ref = new Routing(2, 1, new int[] {1, 2}, new float[] {1, 1}, 0, new int[0]);
        Routing other = new Routing(2, 1, new int[] {0, 0}, new float[] {1, 1}, 0, new int[0]);
        RoutingComparison c = RoutingComparison.compare(w, x, ref, other, 1e-4);
        assertThat(c.routedDifferently()).isEqualTo(2);
        assertThat(c.excusedAsTies()).isEqualTo(1);
        assertThat(c.unexcused()).isEqualTo(1);
    }
}
