package org.mohge.placement.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.placement.PlacementProblem;

/**
 * EPLB's hierarchical mode for expert groups of any size (MoHGE's groups differ in expert count and
 * width), for group-limited routing: a token that picks {@code Kg} groups then reaches at most
 * {@code Kg} nodes when every group sits on one node (see {@link org.mohge.placement.evaluation.NodeSpan}).
 *
 * <ol>
 *   <li>Each expert weighs its expected GEMM work, share x hidden size (token load alone for
 *       equal widths, as EPLB). Every node has {@code ceil((experts + spareSlots) / nodes)} physical
 *       slots.</li>
 *   <li>Groups to nodes: a group with more experts than a node's slots is cut into as few chunks
 *       as fit (experts dealt heaviest first, round-robin, so the chunks weigh alike); chunks are cut
 *       further, largest first, until there are at least as many as nodes. Chunks, largest first
 *       (heavier first among equal sizes: first-fit decreasing keeps whole what fits), go to the
 *       lightest node with room; a chunk no node has room for is split over the nodes with the
 *       most free slots. Keeping groups whole trades node balance for locality: the evaluator's
 *       max/mean shows what it costs, {@code NodeSpan} what it saves.</li>
 *   <li>Within each node, EPLB's last two steps ({@link EplbAlgorithm}): the node's spare slots
 *       (its free slots, while the spare-slot budget lasts, heaviest nodes first) to the expert with
 *       the most work per replica, then replicas packed onto the node's GPUs with an equal count per
 *       GPU, heaviest first onto the lightest GPU.</li>
 * </ol>
 * Ungrouped models are one group; HBM is not checked here (the evaluator reports it).
 */
public final class HierarchicalStrategy implements PlacementStrategy {
    public static final String NAME = "hierarchical";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        PlacementProblem problem = context.problem();
        MoeLayerSpec moe = problem.model().moe();
        ClusterSpec cluster = problem.cluster();
        int nodes = cluster.nodes();
        int gpusPerNode = cluster.gpusPerNode();
        int experts = problem.expertCount();
        double[] share = problem.meanShares();
        List<ExpertShape> shapes = moe.expertShapes();
        double[] work = new double[experts];
        for (int e = 0; e < experts; e++) {
            work[e] = share[e] * shapes.get(e).hidden();
        }
        int slotsPerNode = (experts + problem.spareSlots() + nodes - 1) / nodes;
        List<List<Integer>> onNode = packGroups(groups(shapes), work, nodes, slotsPerNode);

        double[] nodeWork = new double[nodes];
        for (int n = 0; n < nodes; n++) {
            for (int e : onNode.get(n)) {
                nodeWork[n] += work[e];
            }
        }
        int[] spare = new int[nodes];
        int spareLeft = problem.spareSlots();
        for (int n : heaviestFirst(nodeWork)) {
            spare[n] = Math.min(slotsPerNode - onNode.get(n).size(), spareLeft);
            spareLeft -= spare[n];
        }

        List<Integer> phy2log = new ArrayList<>();
        List<Integer> rank = new ArrayList<>();
        List<Integer> gpuOf = new ArrayList<>();
        int[] count = new int[experts];
        for (int n = 0; n < nodes; n++) {
            List<Integer> local = onNode.get(n);
            if (local.isEmpty()) {
                continue;
            }
            double[] localWork = new double[local.size()];
            for (int i = 0; i < local.size(); i++) {
                localWork[i] = work[local.get(i)];
            }
            EplbAlgorithm.Plan plan = EplbAlgorithm.rebalance(localWork, local.size() + spare[n], 1, 1, gpusPerNode);
            for (int p = 0; p < plan.physicalToLogical().length; p++) {
                phy2log.add(local.get(plan.physicalToLogical()[p]));
                rank.add(plan.replicaRank()[p]);
                gpuOf.add(n * gpusPerNode + plan.gpuOf()[p]);
            }
            for (int i = 0; i < local.size(); i++) {
                count[local.get(i)] = plan.logicalCount()[i];
            }
        }
        EplbAlgorithm.Plan plan = new EplbAlgorithm.Plan(toArray(phy2log), toArray(rank), count, toArray(gpuOf));
        return EplbStrategy.toPlacement(plan, experts, problem.gpuCount(), NAME);
    }

    /** The experts of each group (size class) in model order; an ungrouped model is one group. */
    static List<List<Integer>> groups(List<ExpertShape> shapes) {
        List<List<Integer>> groups = new ArrayList<>();
        for (ExpertShape s : shapes) {
            while (groups.size() <= s.sizeClass()) {
                groups.add(new ArrayList<>());
            }
            groups.get(s.sizeClass()).add(s.index());
        }
        return groups;
    }

    /** Step 2: the experts each node holds. */
    static List<List<Integer>> packGroups(List<List<Integer>> groups, double[] work, int nodes, int slotsPerNode) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (List<Integer> g : groups) {
            chunks.addAll(cut(g, (g.size() + slotsPerNode - 1) / slotsPerNode, work));
        }
        while (chunks.size() < nodes) {
            int largest = 0;
            for (int c = 1; c < chunks.size(); c++) {
                if (chunks.get(c).size() > chunks.get(largest).size()) {
                    largest = c;
                }
            }
            if (chunks.get(largest).size() < 2) {
                break;
            }
            List<Integer> split = chunks.remove(largest);
            chunks.addAll(largest, cut(split, 2, work));
        }
        double[] chunkWork = new double[chunks.size()];
        for (int c = 0; c < chunks.size(); c++) {
            for (int e : chunks.get(c)) {
                chunkWork[c] += work[e];
            }
        }
        List<List<Integer>> onNode = new ArrayList<>();
        double[] nodeWork = new double[nodes];
        for (int n = 0; n < nodes; n++) {
            onNode.add(new ArrayList<>());
        }
        Integer[] order = new Integer[chunks.size()];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        // Largest first (first-fit decreasing keeps whole groups that fit), heavier first among equals.
        Arrays.sort(order, (a, b) -> chunks.get(a).size() != chunks.get(b).size()
                ? Integer.compare(chunks.get(b).size(), chunks.get(a).size())
                : Double.compare(chunkWork[b], chunkWork[a]));
        for (int c : order) {
            List<Integer> chunk = chunks.get(c);
            int best = -1;
            for (int n = 0; n < nodes; n++) {
                if (onNode.get(n).size() + chunk.size() <= slotsPerNode && (best < 0 || nodeWork[n] < nodeWork[best])) {
                    best = n;
                }
            }
            if (best >= 0) {
                onNode.get(best).addAll(chunk);
                nodeWork[best] += chunkWork[c];
                continue;
            }
            for (int e : chunk) {
                int roomiest = 0;
                for (int n = 1; n < nodes; n++) {
                    if (onNode.get(n).size() < onNode.get(roomiest).size()) {
                        roomiest = n;
                    }
                }
                onNode.get(roomiest).add(e);
                nodeWork[roomiest] += work[e];
            }
        }
        onNode.forEach(list -> list.sort(Integer::compare));
        return onNode;
    }

    /** {@code parts} chunks of {@code experts}, dealt heaviest first round-robin. */
    private static List<List<Integer>> cut(List<Integer> experts, int parts, double[] work) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            chunks.add(new ArrayList<>());
        }
        List<Integer> order = new ArrayList<>(experts);
        order.sort((a, b) -> Double.compare(work[b], work[a]));
        for (int i = 0; i < order.size(); i++) {
            chunks.get(i % parts).add(order.get(i));
        }
        return chunks;
    }

    /** Indices by weight, heaviest first, ties in index order. */
    private static int[] heaviestFirst(double[] weight) {
        Integer[] order = new Integer[weight.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(weight[b], weight[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
