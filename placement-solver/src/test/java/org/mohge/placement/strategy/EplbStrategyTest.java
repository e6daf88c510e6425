package org.mohge.placement.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluator;

class EplbStrategyTest {

    /**
     * EPLB's README example, layer 0 (github.com/deepseek-ai/EPLB, README.md): 12 experts in 4
     * groups on 2 nodes x 4 GPUs, 16 physical slots (4 spare). The README's phy2log row
     * [5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1] with two slots per GPU puts, GPU by GPU,
     * {5, 6}, {5, 7}, {8, 4}, {3, 4}, {10, 9}, {10, 2}, {0, 1}, {11, 1}: the replicated experts
     * 1, 4, 5 and 10 serve half their tokens on each of their two GPUs.
     */
    @Test
    void placesTheReadmeExampleAsEplbPrintsIt() {
        ModelSpec model = Fixtures.model(1024, new GroupedMoe(List.of(new ExpertGroup(256, 3),
                new ExpertGroup(512, 3), new ExpertGroup(768, 3), new ExpertGroup(1024, 3)), 2, 2, 0, 0, null));
        ClusterSpec cluster = Fixtures.h100(2, 4);
        LoadProfile loads = new LoadProfile(List.of(new LayerLoad(0,
                List.of(90.0, 132.0, 40.0, 61.0, 104.0, 165.0, 39.0, 4.0, 73.0, 56.0, 183.0, 86.0))));
        PlacementProblem problem = Fixtures.problem(model, cluster, Fixtures.training(65536), loads, 4);

        Placement placement = new EplbStrategy().place(
                new PlacementContext(problem, new PlacementEvaluator(problem, Fixtures.costModel(cluster))));

        int[][] expertsOnGpu = {{5, 6}, {5, 7}, {8, 4}, {3, 4}, {10, 9}, {10, 2}, {0, 1}, {11, 1}};
        Map<Integer, Map<Integer, Double>> expected = new TreeMap<>();
        for (int g = 0; g < expertsOnGpu.length; g++) {
            for (int e : expertsOnGpu[g]) {
                expected.computeIfAbsent(e, k -> new TreeMap<>()).put(g, 0.0);
            }
        }
        expected.values().forEach(gpus -> gpus.replaceAll((g, share) -> 1.0 / gpus.size()));
        Map<Integer, Map<Integer, Double>> actual = new TreeMap<>();
        for (ExpertPlacement e : placement.experts()) {
            for (ExpertReplica r : e.replicas()) {
                actual.computeIfAbsent(e.expert(), k -> new TreeMap<>()).put(r.gpu(), r.share());
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Two physical slots of one expert on one GPU become one copy serving 2 of its 3 parts. */
    @Test
    void mergesTwoSlotsOfAnExpertOnOneGpu() {
        EplbAlgorithm.Plan plan = new EplbAlgorithm.Plan(new int[] {0, 0, 1, 0}, new int[] {0, 1, 0, 2},
                new int[] {3, 1}, new int[] {0, 0, 1, 1});
        Placement placement = EplbStrategy.toPlacement(plan, 2, 2, "eplb");
        assertThat(placement.experts().get(0).replicas()).containsExactly(new ExpertReplica(0, 2.0 / 3),
                new ExpertReplica(1, 1.0 - 2.0 / 3));
        assertThat(PlacementEvaluator.splitsEqually(placement)).isTrue();
    }

    @Test
    void anUnevenSplitIsNotEqual() {
        Placement uneven = new Placement("x", 2, List.of(new ExpertPlacement(0,
                List.of(new ExpertReplica(0, 0.3), new ExpertReplica(1, 0.7)))));
        assertThat(PlacementEvaluator.splitsEqually(uneven)).isFalse();
    }
}
