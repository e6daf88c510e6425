package org.mohge.costmodel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;

class PlacementsTest {
    /** Groups: 4 small (experts 0-3), 2 medium (4-5), 2 large (6-7). */
    private static final GroupedMoe MOE = new GroupedMoe(
            List.of(new ExpertGroup(8, 4), new ExpertGroup(16, 2), new ExpertGroup(32, 2)), 1, 1, 0, 0, null);

    private static int gpuOf(Placement p, int expert) {
        return p.experts().get(expert).replicas().get(0).gpu();
    }

    @Test
    void contiguousCutsModelOrderIntoEqualBlocks() {
        Placement p = Placements.contiguous(MOE, 2);
        // experts 0-3 (all small) on GPU 0, 4-7 (medium and large) on GPU 1
        for (int e = 0; e < 8; e++) {
            assertThat(gpuOf(p, e)).isEqualTo(e < 4 ? 0 : 1);
        }
    }

    @Test
    void groupDecoupledGivesEveryGpuAShareOfEverySize() {
        Placement p = Placements.groupDecoupled(MOE, 2);
        // deal: small 0->0, 1->1, 2->0, 3->1; medium 4->0, 5->1; large 6->0, 7->1
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7).stream().map(e -> gpuOf(p, e)).toList())
                .containsExactly(0, 1, 0, 1, 0, 1, 0, 1);
        assertThat(p.copiesPerGpu()).containsExactly(4, 4);
    }

    @Test
    void groupDecoupledContinuesTheDealAcrossGroupsWhenCountsDoNotDivide() {
        GroupedMoe odd = new GroupedMoe(List.of(new ExpertGroup(8, 3), new ExpertGroup(16, 3)), 1, 1, 0, 0, null);
        Placement p = Placements.groupDecoupled(odd, 2);
        // small 0->0, 1->1, 2->0; medium 3->1, 4->0, 5->1: 3 experts each
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(e -> gpuOf(p, e)).toList())
                .containsExactly(0, 1, 0, 1, 0, 1);
    }

    @Test
    void placementRejectsSharesThatDoNotAddUpAndMissingGpus() {
        assertThatThrownBy(() -> new ExpertPlacement(3, List.of(new ExpertReplica(0, 0.5), new ExpertReplica(1, 0.4))))
                .hasMessageStartingWith("replicas shares of expert 3 must add up to 1");
        assertThatThrownBy(() -> new Placement("x", 2, List.of(ExpertPlacement.single(0, 2))))
                .hasMessage("experts[0].replicas GPU 2 does not exist (the cluster has 2)");
    }
}
