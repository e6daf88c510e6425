package org.mohge.gpu.api;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;

/**
 * The routed tokens one GPU serves: for each expert copy it hosts, the tokens that copy handles.
 * {@link #split(Routing, Placement)} derives the work of every GPU from a forward pass's routing.
 */
public record PartitionWork(int gpu, List<ExpertTokens> experts) {

    public PartitionWork {
        experts = List.copyOf(experts);
    }

    public int activations() {
        int n = 0;
        for (ExpertTokens e : experts) {
            n += e.tokens().length;
        }
        return n;
    }

    /**
     * Splits a routing over a placement's GPUs. The tokens of expert e, in token order, are cut
     * into contiguous runs, one per replica in the placement's replica order, of sizes
     * {@code round(n * cumulativeShare / totalShare)} differences (so they add up to n exactly).
     * A GPU's work lists its copies in the placement's expert order; copies serving no tokens are
     * kept with empty token arrays (the GPU still hosts them).
     */
    public static List<PartitionWork> split(Routing routing, Placement placement) {
        int experts = placement.expertCount();
        int[] counts = routing.tokensPerExpert(experts);
        int[][] tokens = new int[experts][];
        float[][] weights = new float[experts][];
        for (int e = 0; e < experts; e++) {
            tokens[e] = new int[counts[e]];
            weights[e] = new float[counts[e]];
        }
        int[] fill = new int[experts];
        for (int t = 0; t < routing.tokens(); t++) {
            for (int s = 0; s < routing.expertsPerToken(); s++) {
                int e = routing.expert(t, s);
                tokens[e][fill[e]] = t;
                weights[e][fill[e]++] = routing.weight(t, s);
            }
        }
        List<List<ExpertTokens>> byGpu = new ArrayList<>();
        for (int g = 0; g < placement.gpuCount(); g++) {
            byGpu.add(new ArrayList<>());
        }
        for (var ep : placement.experts()) {
            int e = ep.expert();
            double total = 0;
            for (var r : ep.replicas()) {
                total += r.share();
            }
            double cumulative = 0;
            int start = 0;
            for (int i = 0; i < ep.replicas().size(); i++) {
                var r = ep.replicas().get(i);
                cumulative += r.share();
                int end = i == ep.replicas().size() - 1 || total == 0 ? counts[e]
                        : (int) Math.round(counts[e] * cumulative / total);
                end = Math.max(start, Math.min(end, counts[e]));
                byGpu.get(r.gpu()).add(new ExpertTokens(e, java.util.Arrays.copyOfRange(tokens[e], start, end),
                        java.util.Arrays.copyOfRange(weights[e], start, end)));
                start = end;
            }
        }
        List<PartitionWork> work = new ArrayList<>();
        for (int g = 0; g < byGpu.size(); g++) {
            List<ExpertTokens> list = new ArrayList<>(byGpu.get(g));
            list.sort(java.util.Comparator.comparingInt(ExpertTokens::expert));
            work.add(new PartitionWork(g, list));
        }
        return work;
    }

    /** Experts hosted per GPU, as {@link Placement#copiesByGpu()} lists them (convenience for callers). */
    public static List<List<HeldCopy>> hosted(Placement placement) {
        return placement.copiesByGpu();
    }
}
