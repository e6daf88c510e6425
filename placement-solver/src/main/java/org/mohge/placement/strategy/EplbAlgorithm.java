package org.mohge.placement.strategy;

import java.util.Arrays;

/**
 * DeepSeek's Expert Parallelism Load Balancer (github.com/deepseek-ai/EPLB, {@code eplb.py}),
 * written again in Java from its published description, one MoE layer at a time:
 *
 * <ol>
 *   <li><b>Groups to nodes</b> (hierarchical mode, when the expert groups divide evenly over the
 *       nodes): the token load of each group, packed onto the nodes with an equal group count
 *       per node ({@link #balancedPacking}).</li>
 *   <li><b>Replicas within a node</b>: each spare physical slot of the node goes, one at a time,
 *       to the expert with the highest load per replica ({@link #replicate}).</li>
 *   <li><b>Replicas to GPUs</b>: the replicas of a node, each carrying its expert's load divided
 *       by its replica count, packed onto the node's GPUs with an equal count per GPU.</li>
 * </ol>
 *
 * Without the hierarchical condition the whole cluster is one node and the experts one group
 * (EPLB's global policy). Ties are broken toward the lower index throughout (a stable sort, the
 * first minimum, the first maximum). EPLB asserts that the physical slots divide evenly over the
 * GPUs; here a pack's capacity is {@code ceil(items / packs)}, which is EPLB's own rule when they
 * divide.
 */
public final class EplbAlgorithm {

    private EplbAlgorithm() {
    }

    /**
     * One layer's plan, EPLB's three outputs: {@code physicalToLogical[p]} the expert of physical
     * slot p, {@code replicaRank[p]} its rank among the expert's replicas, {@code logicalCount[e]}
     * the replicas of expert e; physical slots are numbered GPU by GPU, {@code gpuOf[p]} the GPU of slot p.
     */
    public record Plan(int[] physicalToLogical, int[] replicaRank, int[] logicalCount, int[] gpuOf) {
    }

    /** Items packed: the pack of each item and its rank inside the pack. */
    public record Packing(int[] pack, int[] rankInPack) {
    }

    /**
     * EPLB's entry point for one layer: hierarchical when {@code groups % nodes == 0}, else
     * global. {@code physicalSlots} counts all replicas (experts plus spare slots).
     */
    public static Plan rebalance(double[] load, int physicalSlots, int groups, int nodes, int gpus) {
        if (groups > 0 && groups % nodes == 0 && load.length % groups == 0 && gpus % nodes == 0
                && physicalSlots % nodes == 0) {
            return hierarchical(load, physicalSlots, groups, nodes, gpus);
        }
        return hierarchical(load, physicalSlots, 1, 1, gpus);
    }

    /**
     * Packs n weighted items onto {@code packs} packs of {@code ceil(n / packs)} items each,
     * heaviest first, each onto the lightest pack with room (EPLB's {@code balanced_packing}).
     */
    public static Packing balancedPacking(double[] weight, int packs) {
        int n = weight.length;
        int capacity = (n + packs - 1) / packs;
        int[] pack = new int[n];
        int[] rank = new int[n];
        if (capacity == 1 && n == packs) {
            for (int i = 0; i < n; i++) {
                pack[i] = i;
            }
            return new Packing(pack, rank);
        }
        double[] packWeight = new double[packs];
        int[] packItems = new int[packs];
        for (int item : descending(weight)) {
            int best = -1;
            for (int p = 0; p < packs; p++) {
                if (packItems[p] < capacity && (best < 0 || packWeight[p] < packWeight[best])) {
                    best = p;
                }
            }
            pack[item] = best;
            rank[item] = packItems[best];
            packWeight[best] += weight[item];
            packItems[best]++;
        }
        return new Packing(pack, rank);
    }

    /** Replicas of {@code weight.length} experts in {@code physical} slots (EPLB's {@code replicate_experts}). */
    public static Plan replicate(double[] weight, int physical) {
        int logical = weight.length;
        if (physical < logical) {
            throw new IllegalArgumentException("physical slots (" + physical + ") must be >= experts (" + logical + ")");
        }
        int[] phy2log = new int[physical];
        int[] rank = new int[physical];
        int[] count = new int[logical];
        for (int e = 0; e < logical; e++) {
            phy2log[e] = e;
            count[e] = 1;
        }
        for (int p = logical; p < physical; p++) {
            int best = 0;
            for (int e = 1; e < logical; e++) {
                if (weight[e] / count[e] > weight[best] / count[best]) {
                    best = e;
                }
            }
            phy2log[p] = best;
            rank[p] = count[best];
            count[best]++;
        }
        return new Plan(phy2log, rank, count, new int[physical]);
    }

    /** EPLB's {@code rebalance_experts_hierarchical} for one layer. */
    static Plan hierarchical(double[] load, int physicalSlots, int groups, int nodes, int gpus) {
        int experts = load.length;
        int groupSize = experts / groups;
        int groupsPerNode = groups / nodes;
        int gpusPerNode = gpus / nodes;
        int expertsPerNode = experts / nodes;
        int physicalPerNode = physicalSlots / nodes;

        // Step 1: groups onto nodes; experts renumbered node by node ("middle" logical order).
        double[] groupLoad = new double[groups];
        for (int e = 0; e < experts; e++) {
            groupLoad[e / groupSize] += load[e];
        }
        Packing groupPacking = balancedPacking(groupLoad, nodes);
        int[] middleToLog = new int[experts];
        for (int e = 0; e < experts; e++) {
            int g = e / groupSize;
            int middle = (groupPacking.pack()[g] * groupsPerNode + groupPacking.rankInPack()[g]) * groupSize
                    + e % groupSize;
            middleToLog[middle] = e;
        }

        int[] phy2log = new int[physicalSlots];
        int[] rank = new int[physicalSlots];
        int[] gpuOf = new int[physicalSlots];
        int[] logCount = new int[experts];
        int next = 0;
        for (int node = 0; node < nodes; node++) {
            // Step 2: replicas of the node's experts in the node's physical slots.
            double[] nodeLoad = new double[expertsPerNode];
            for (int m = 0; m < expertsPerNode; m++) {
                nodeLoad[m] = load[middleToLog[node * expertsPerNode + m]];
            }
            Plan replicas = replicate(nodeLoad, physicalPerNode);
            // Step 3: replicas onto the node's GPUs, each weighing its expert's load per replica.
            double[] replicaLoad = new double[physicalPerNode];
            for (int p = 0; p < physicalPerNode; p++) {
                int m = replicas.physicalToLogical()[p];
                replicaLoad[p] = nodeLoad[m] / replicas.logicalCount()[m];
            }
            Packing packing = balancedPacking(replicaLoad, gpusPerNode);
            Integer[] order = new Integer[physicalPerNode];
            for (int p = 0; p < physicalPerNode; p++) {
                order[p] = p;
            }
            // Physical slots numbered GPU by GPU, by rank inside the GPU (EPLB's pack * perGpu + rank).
            Arrays.sort(order, (a, b) -> packing.pack()[a] != packing.pack()[b]
                    ? Integer.compare(packing.pack()[a], packing.pack()[b])
                    : Integer.compare(packing.rankInPack()[a], packing.rankInPack()[b]));
            for (int p : order) {
                int m = replicas.physicalToLogical()[p];
                phy2log[next] = middleToLog[node * expertsPerNode + m];
                rank[next] = replicas.replicaRank()[p];
                gpuOf[next] = node * gpusPerNode + packing.pack()[p];
                next++;
            }
            for (int m = 0; m < expertsPerNode; m++) {
                logCount[middleToLog[node * expertsPerNode + m]] = replicas.logicalCount()[m];
            }
        }
        return new Plan(phy2log, rank, logCount, gpuOf);
    }

    /** Item indices by weight, heaviest first; equal weights keep index order (a stable sort). */
    private static Integer[] descending(double[] weight) {
        Integer[] order = new Integer[weight.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(weight[b], weight[a]));
        return order;
    }
}
