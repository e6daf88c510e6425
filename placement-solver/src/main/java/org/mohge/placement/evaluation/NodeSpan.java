package org.mohge.placement.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;

/**
 * How many nodes one token's routed copies reach under a placement, for node-deduplicated dispatch
 * (DeepEP sends a token's hidden state once per destination node) and node-limited routing
 * ({@code routing.maxNodesPerToken}). A token picks {@code Kg} groups and {@code Ke} experts in each
 * (MoHGE's two-level gate; an ungrouped model is one group with {@code Ke} = experts per token), and
 * each copy goes to one of its expert's copies.
 *
 * <ul>
 *   <li><b>At most</b>: the largest, over every choice of Kg groups, of the nodes those groups'
 *       copies lie on, each group counting at most Ke nodes. Exact when every group sits on one
 *       node (then it is the most distinct nodes Kg groups occupy).</li>
 *   <li><b>Expected remote nodes</b>: with group g picked with probability {@code q_g = Kg x} its
 *       share of the copies (at most 1), and {@code f_gn} the share of group g's copies served on
 *       node n, group g's Ke picks touch node n with probability {@code 1 - (1 - f_gn)^Ke}; groups
 *       are taken as picked independently, so node n is reached with
 *       {@code P_n = 1 - prod_g (1 - q_g (1 - (1 - f_gn)^Ke))}. Tokens start evenly on every node, so
 *       the expected nodes other than its own a token is sent to is {@code sum_n P_n (N - 1) / N}.</li>
 * </ul>
 */
public final class NodeSpan {
    private NodeSpan() {
    }

    /** Groups picked per token and experts picked per group. */
    record Picks(List<int[]> groups, int groupsPerToken, int expertsPerGroup) {
    }

    static Picks picks(MoeLayerSpec moe) {
        List<int[]> groups = new ArrayList<>();
        if (moe instanceof GroupedMoe g) {
            for (int i = 0; i < g.groups().size(); i++) {
                int first = g.firstExpertOf(i);
                int[] members = new int[g.groups().get(i).experts()];
                for (int j = 0; j < members.length; j++) {
                    members[j] = first + j;
                }
                groups.add(members);
            }
            return new Picks(groups, g.topGroups(), g.topExpertsPerGroup());
        }
        int[] all = new int[moe.expertCount()];
        for (int e = 0; e < all.length; e++) {
            all[e] = e;
        }
        groups.add(all);
        return new Picks(groups, 1, moe.routedExpertsPerToken());
    }

    /** The most nodes one token's copies can reach (see the class comment). */
    public static int maxNodesPerToken(Placement placement, MoeLayerSpec moe, int nodes, int gpusPerNode) {
        Picks picks = picks(moe);
        boolean[][] groupOnNode = new boolean[picks.groups().size()][nodes];
        for (int g = 0; g < picks.groups().size(); g++) {
            for (int e : picks.groups().get(g)) {
                for (ExpertReplica r : placement.experts().get(e).replicas()) {
                    groupOnNode[g][r.gpu() / gpusPerNode] = true;
                }
            }
        }
        return worst(groupOnNode, picks, 0, 0, new boolean[nodes], 0);
    }

    /** Every choice of {@code left} more groups from {@code from} on: the most nodes reached. */
    private static int worst(boolean[][] groupOnNode, Picks picks, int from, int chosen, boolean[] reached,
                             int capped) {
        if (chosen == picks.groupsPerToken() || from == groupOnNode.length) {
            int distinct = 0;
            for (boolean r : reached) {
                distinct += r ? 1 : 0;
            }
            return Math.min(distinct, capped);
        }
        int best = worst(groupOnNode, picks, from + 1, chosen, reached, capped);
        boolean[] with = reached.clone();
        int span = 0;
        for (int n = 0; n < with.length; n++) {
            if (groupOnNode[from][n]) {
                with[n] = true;
                span++;
            }
        }
        return Math.max(best, worst(groupOnNode, picks, from + 1, chosen + 1, with,
                capped + Math.min(span, picks.expertsPerGroup())));
    }

    /** Expected nodes other than its own one token is sent to (see the class comment). */
    public static double expectedRemoteNodesPerToken(Placement placement, MoeLayerSpec moe, double[] expertShares,
                                                     int nodes, int gpusPerNode) {
        Picks picks = picks(moe);
        double[] missed = new double[nodes];
        java.util.Arrays.fill(missed, 1.0);
        for (int[] group : picks.groups()) {
            double groupShare = 0;
            for (int e : group) {
                groupShare += expertShares[e];
            }
            if (groupShare <= 0) {
                continue;
            }
            double picked = Math.min(1.0, picks.groupsPerToken() * groupShare);
            double[] onNode = new double[nodes];
            for (int e : group) {
                ExpertPlacement p = placement.experts().get(e);
                for (ExpertReplica r : p.replicas()) {
                    onNode[r.gpu() / gpusPerNode] += expertShares[e] / groupShare * r.share();
                }
            }
            for (int n = 0; n < nodes; n++) {
                double touch = 1 - Math.pow(1 - Math.min(1.0, onNode[n]), picks.expertsPerGroup());
                missed[n] *= 1 - picked * touch;
            }
        }
        double sum = 0;
        for (double m : missed) {
            sum += 1 - m;
        }
        return sum * (nodes - 1) / nodes;
    }
}
