package org.mohge.gpu.cpu;

import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.gpu.api.Routing;

/**
 * Routing decisions from router logits, exactly as the layer defines them.
 *
 * <ul>
 *   <li>Flat (uniform, heterogeneous): softmax over all E logits, keep the top-k, weights are the
 *       kept probabilities renormalised to sum to 1 (Mixtral style).</li>
 *   <li>Two-level (grouped): softmax over the Ng group logits, keep the top Kg groups; inside
 *       each kept group softmax over that group's expert logits, keep the top Ke; the raw weight
 *       of a slot is {@code p_group * p_expert|group}, and the Kg*Ke raw weights are renormalised
 *       to sum to 1. Slots are listed group by group (best group first), best expert first.</li>
 * </ul>
 *
 * <p>Selection compares logits (softmax is monotone); ties go to the lower index. Probabilities are
 * computed in double with the max subtracted, then stored as float.
 */
public final class TopKRouter {
    private TopKRouter() {
    }

    /**
     * Routes tokens {@code [t0, t1)} into {@code experts}/{@code weights}/{@code groups} (arrays of
     * a {@link Routing} for the whole batch). {@code expertLogits} is {@code T x E} row-major,
     * {@code groupLogits} is {@code T x Ng} (ignored for flat routers).
     */
    public static void route(MoeLayerSpec spec, float[] expertLogits, float[] groupLogits, int t0, int t1,
                             int[] experts, float[] weights, int[] groups) {
        int e = spec.expertCount();
        if (spec instanceof GroupedMoe g) {
            routeGrouped(g, expertLogits, groupLogits, t0, t1, experts, weights, groups);
            return;
        }
        int k = spec.routedExpertsPerToken();
        int[] chosen = new int[k];
        for (int t = t0; t < t1; t++) {
            int row = t * e;
            topK(expertLogits, row, 0, e, k, chosen);
            double max = expertLogits[row + chosen[0]];
            double sum = 0;
            double[] p = new double[k];
            for (int s = 0; s < k; s++) {
                p[s] = Math.exp(expertLogits[row + chosen[s]] - max);
                sum += p[s];
            }
            // Renormalised top-k softmax: exp(l_s) / sum_kept exp(l) (the full softmax's denominator cancels).
            for (int s = 0; s < k; s++) {
                experts[t * k + s] = chosen[s];
                weights[t * k + s] = (float) (p[s] / sum);
            }
        }
    }

    private static void routeGrouped(GroupedMoe spec, float[] expertLogits, float[] groupLogits, int t0, int t1,
                                     int[] experts, float[] weights, int[] groups) {
        List<ExpertGroup> gs = spec.groups();
        int ng = gs.size();
        int e = spec.expertCount();
        int kg = spec.topGroups();
        int ke = spec.topExpertsPerGroup();
        int[] first = new int[ng];
        for (int g = 1; g < ng; g++) {
            first[g] = first[g - 1] + gs.get(g - 1).experts();
        }
        int[] chosenGroups = new int[kg];
        int[] chosenExperts = new int[ke];
        double[] raw = new double[kg * ke];
        for (int t = t0; t < t1; t++) {
            int grow = t * ng;
            topK(groupLogits, grow, 0, ng, kg, chosenGroups);
            double gmax = max(groupLogits, grow, ng);
            double gsum = 0;
            for (int g = 0; g < ng; g++) {
                gsum += Math.exp(groupLogits[grow + g] - gmax);
            }
            int slot = 0;
            for (int j = 0; j < kg; j++) {
                int g = chosenGroups[j];
                groups[t * kg + j] = g;
                double pg = Math.exp(groupLogits[grow + g] - gmax) / gsum;
                int row = t * e + first[g];
                int n = gs.get(g).experts();
                topK(expertLogits, row, 0, n, ke, chosenExperts);
                double emax = max(expertLogits, row, n);
                double esum = 0;
                for (int i = 0; i < n; i++) {
                    esum += Math.exp(expertLogits[row + i] - emax);
                }
                for (int s = 0; s < ke; s++) {
                    raw[slot] = pg * Math.exp(expertLogits[row + chosenExperts[s]] - emax) / esum;
                    experts[t * kg * ke + slot] = first[g] + chosenExperts[s];
                    slot++;
                }
            }
            double total = 0;
            for (double r : raw) {
                total += r;
            }
            for (int s = 0; s < raw.length; s++) {
                weights[t * kg * ke + s] = (float) (raw[s] / total);
            }
        }
    }

    private static double max(float[] v, int off, int n) {
        float m = v[off];
        for (int i = 1; i < n; i++) {
            m = Math.max(m, v[off + i]);
        }
        return m;
    }

    /**
     * Indices (relative to {@code off}) of the {@code k} largest of {@code v[off + lo .. off + hi)},
     * best first; among equal values the lower index comes first.
     */
    static void topK(float[] v, int off, int lo, int hi, int k, int[] out) {
        long taken0 = 0;
        boolean[] taken = hi - lo > 64 ? new boolean[hi - lo] : null;
        for (int s = 0; s < k; s++) {
            int best = -1;
            float bestValue = 0;
            for (int i = lo; i < hi; i++) {
                boolean used = taken != null ? taken[i - lo] : (taken0 & (1L << (i - lo))) != 0;
                if (used) {
                    continue;
                }
                float value = v[off + i];
                if (best < 0 || value > bestValue || (Float.isNaN(bestValue) && !Float.isNaN(value))) {
                    best = i;
                    bestValue = value;
                }
            }
            out[s] = best;
            if (taken != null) {
                taken[best - lo] = true;
            } else {
                taken0 |= 1L << (best - lo);
            }
        }
    }

    /** Builds an empty routing of the right size for {@code tokens} tokens of this layer. */
    public static Routing allocate(MoeLayerSpec spec, int tokens) {
        int k = spec.routedExpertsPerToken();
        int kg = spec instanceof GroupedMoe g ? g.topGroups() : 0;
        return new Routing(tokens, k, new int[tokens * k], new float[tokens * k], kg, new int[tokens * kg]);
    }
}
