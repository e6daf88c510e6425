package org.mohge.placement.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.placement.Fixtures;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.NodeSpan;
import org.mohge.placement.evaluation.PlacementEvaluator;

class HierarchicalStrategyTest {

    /**
     * MoHGE's unequal groups (16 x 256, 8 x 512, 8 x 1024; top-2 groups) on 2 nodes x 4 GPUs with 4
     * spare slots: 36 / 2 = 18 slots per node. Largest first: the 16-expert group to node 0 (both
     * empty, the first); of the two 8-expert groups the heavier (1024 wide: work 1/3 x 1024 against
     * 1/3 x 512) to the lighter node 1, then the 512 group to node 1 as well (node 0 has 2 free
     * slots). Every group whole on one node, so a token picking 2 groups reaches at most 2 nodes.
     */
    @Test
    void unequalGroupsStayWholeOnOneNode() {
        ModelSpec model = Fixtures.model(1024, new GroupedMoe(List.of(new ExpertGroup(256, 16),
                new ExpertGroup(512, 8), new ExpertGroup(1024, 8)), 2, 2, 0, 0, null));
        ClusterSpec cluster = Fixtures.h100(2, 4);
        double[] even = model.moe().defaultExpertShares();
        double[] loads = new double[even.length];
        for (int e = 0; e < loads.length; e++) {
            loads[e] = 10000 * even[e];
        }
        PlacementProblem problem = Fixtures.problem(model, cluster, Fixtures.training(65536),
                Fixtures.profile(loads), 4);
        Placement p = new HierarchicalStrategy().place(
                new PlacementContext(problem, new PlacementEvaluator(problem, Fixtures.costModel(cluster))));

        GroupedMoe moe = (GroupedMoe) model.moe();
        for (int g = 0; g < 3; g++) {
            Set<Integer> nodes = new TreeSet<>();
            for (int e = moe.firstExpertOf(g); e < moe.firstExpertOf(g) + moe.groups().get(g).experts(); e++) {
                p.experts().get(e).replicas().forEach(r -> nodes.add(r.gpu() / 4));
            }
            assertThat(nodes).as("nodes of group " + g).containsExactly(g == 0 ? 0 : 1);
        }
        assertThat(NodeSpan.maxNodesPerToken(p, moe, 2, 4)).isEqualTo(2);
        // every expert placed, the 4 spare slots used, shares whole equal parts
        int copies = p.experts().stream().mapToInt(e -> e.replicas().size()).sum();
        assertThat(copies).isBetween(32, 36);
        // within a node every GPU holds copies
        for (int gpu = 0; gpu < 8; gpu++) {
            int g = gpu;
            assertThat(p.experts().stream().anyMatch(e -> e.replicas().stream().anyMatch(r -> r.gpu() == g)))
                    .as("gpu " + gpu).isTrue();
        }
    }

    /**
     * Two groups of two experts (top-1 group, both its experts per token), 2 nodes of 1 GPU, even
     * shares (q = 1 x 1/2 per group). Whole groups: a token reaches its group's one node; node n is
     * reached with P = q = 1/2, so 2 x 1/2 x (2 - 1) / 2 = 0.5 remote nodes per token. Groups split
     * over both nodes (experts 0, 2 on node 0): f = 1/2, a group's 2 picks touch a node with
     * 1 - (1/2)^2 = 3/4, node n is reached with 1 - (1 - 1/2 x 3/4)^2 = 0.609375, so 0.609375 remote
     * nodes per token, and a token may reach both nodes.
     */
    @Test
    void nodeSpanByHand() {
        GroupedMoe moe = new GroupedMoe(List.of(new ExpertGroup(64, 2), new ExpertGroup(128, 2)), 1, 2, 0, 0, null);
        double[] shares = {0.25, 0.25, 0.25, 0.25};
        Placement whole = map(0, 0, 1, 1);
        Placement split = map(0, 1, 0, 1);
        assertThat(NodeSpan.maxNodesPerToken(whole, moe, 2, 1)).isEqualTo(1);
        assertThat(NodeSpan.maxNodesPerToken(split, moe, 2, 1)).isEqualTo(2);
        assertThat(NodeSpan.expectedRemoteNodesPerToken(whole, moe, shares, 2, 1)).isCloseTo(0.5, within(1e-12));
        assertThat(NodeSpan.expectedRemoteNodesPerToken(split, moe, shares, 2, 1))
                .isCloseTo(0.609375, within(1e-12));
        // both groups picked (q = 1): whole groups reach both nodes, one remote
        GroupedMoe topTwo = new GroupedMoe(List.of(new ExpertGroup(64, 2), new ExpertGroup(128, 2)), 2, 2, 0, 0,
                null);
        assertThat(NodeSpan.maxNodesPerToken(whole, topTwo, 2, 1)).isEqualTo(2);
        assertThat(NodeSpan.expectedRemoteNodesPerToken(whole, topTwo, shares, 2, 1)).isCloseTo(1.0, within(1e-12));
    }

    private static Placement map(int... nodeOfExpert) {
        List<ExpertPlacement> experts = new java.util.ArrayList<>();
        for (int e = 0; e < nodeOfExpert.length; e++) {
            experts.add(new ExpertPlacement(e, List.of(new ExpertReplica(nodeOfExpert[e], 1.0))));
        }
        return new Placement("t", 2, experts);
    }
}
