package org.mohge.gpu.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.gpu.api.Routing;

class TopKRouterTest {

    @Test
    void flatTopKTiesGoToTheLowerIndexAndWeightsAreRenormalised() {
        UniformMoe spec = new UniformMoe(4, 8, 2, 0, 0, Activation.SWIGLU);
        float ln2 = (float) Math.log(2);
        // Experts 1, 2, 3 tie at ln 2: experts 1 and 2 win; equal logits -> 1/2 each.
        float[] logits = {0f, ln2, ln2, ln2};
        Routing r = TopKRouter.allocate(spec, 1);
        TopKRouter.route(spec, logits, new float[0], 0, 1, r.experts(), r.weights(), r.groups());
        assertThat(r.expert(0, 0)).isEqualTo(1);
        assertThat(r.expert(0, 1)).isEqualTo(2);
        assertThat((double) r.weight(0, 0)).isCloseTo(0.5, within(1e-7));
        assertThat(r.groupsPerToken()).isZero();
    }

    @Test
    void flatWeightsAreTheKeptProbabilitiesOverTheirSum() {
        UniformMoe spec = new UniformMoe(3, 8, 2, 0, 0, Activation.SWIGLU);
        // Logits ln 3, ln 1, ln 6 -> keep expert 2 (6) then 0 (3): weights 6/9 and 3/9.
        float[] logits = {(float) Math.log(3), 0f, (float) Math.log(6)};
        Routing r = TopKRouter.allocate(spec, 1);
        TopKRouter.route(spec, logits, new float[0], 0, 1, r.experts(), r.weights(), r.groups());
        assertThat(new int[] {r.expert(0, 0), r.expert(0, 1)}).containsExactly(2, 0);
        assertThat((double) r.weight(0, 0)).isCloseTo(2.0 / 3, within(1e-6));
        assertThat((double) r.weight(0, 1)).isCloseTo(1.0 / 3, within(1e-6));
    }

    @Test
    void twoLevelRoutingByHand() {
        // Groups: g0 experts 0-1, g1 experts 2-4, g2 experts 5-6. Keep 2 groups, 1 expert each.
        GroupedMoe spec = new GroupedMoe(List.of(new ExpertGroup(4, 2), new ExpertGroup(8, 3), new ExpertGroup(16, 2)),
                2, 1, 0, 0, Activation.SWIGLU);
        // Group logits ln1, ln2, ln1 -> group probs 1/4, 1/2, 1/4; g1 first, then the tie g0/g2 goes to g0.
        float[] groupLogits = {0f, (float) Math.log(2), 0f};
        // g0: experts 0,1 with logits ln1, ln3 -> expert 1 with p = 3/4.
        // g1: experts 2,3,4 with logits ln1, ln1, ln2 -> expert 4 with p = 2/4.
        float[] expertLogits = {0f, (float) Math.log(3), 0f, 0f, (float) Math.log(2), 5f, 5f};
        Routing r = TopKRouter.allocate(spec, 1);
        TopKRouter.route(spec, expertLogits, groupLogits, 0, 1, r.experts(), r.weights(), r.groups());
        assertThat(new int[] {r.group(0, 0), r.group(0, 1)}).containsExactly(1, 0);
        assertThat(new int[] {r.expert(0, 0), r.expert(0, 1)}).containsExactly(4, 1);
        // Raw weights: g1: 1/2 * 1/2 = 1/4; g0: 1/4 * 3/4 = 3/16; renormalised: 4/7 and 3/7.
        assertThat((double) r.weight(0, 0)).isCloseTo(4.0 / 7, within(1e-6));
        assertThat((double) r.weight(0, 1)).isCloseTo(3.0 / 7, within(1e-6));
    }

    @Test
    void topKOverMoreThan64Candidates() {
        float[] v = new float[100];
        v[70] = 3;
        v[99] = 3;
        v[5] = 2;
        int[] out = new int[3];
        TopKRouter.topK(v, 0, 0, 100, 3, out);
        assertThat(out).containsExactly(70, 99, 5);
    }
}
