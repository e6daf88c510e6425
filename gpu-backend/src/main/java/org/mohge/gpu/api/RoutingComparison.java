package org.mohge.gpu.api;

import java.util.Arrays;
import org.mohge.costmodel.arch.GroupedMoe;

/**
 * Compares the routing of two backends. Tokens routed differently are excused when one of the
 * token's top-k decisions is a near-tie: the gap between the last kept and the first dropped logit
 * (of the groups, or of the experts inside a kept group) is below {@code tieLogitGap}, so that a
 * different summation order (fp32 with or without FMA) may flip it.
 */
public record RoutingComparison(int tokens, int routedDifferently, int excusedAsTies) {

    /** Tokens routed differently that are not near-ties; 0 means "the same routing wherever scores are not tied". */
    public int unexcused() {
        return routedDifferently - excusedAsTies;
    }

    public static RoutingComparison compare(LayerWeights w, FloatMatrix x, Routing reference, Routing other,
                                            double tieLogitGap) {
        int different = 0;
        int excused = 0;
        for (int t = 0; t < reference.tokens(); t++) {
            boolean same = true;
            for (int s = 0; s < reference.expertsPerToken() && same; s++) {
                same = reference.expert(t, s) == other.expert(t, s);
            }
            if (!same) {
                different++;
                if (smallestGap(w, x, t) < tieLogitGap) {
                    excused++;
                }
            }
        }
        return new RoutingComparison(reference.tokens(), different, excused);
    }

    /** The smallest kept-vs-dropped logit gap of any top-k decision for token {@code t} (logits in double). */
    static double smallestGap(LayerWeights w, FloatMatrix x, int t) {
        double[] expert = logits(x, t, w.expertGate());
        if (w.spec() instanceof GroupedMoe g) {
            double[] group = logits(x, t, w.groupGate());
            double gap = gap(group, g.topGroups());
            // Every group could be kept by the other backend, so check the expert decision in each.
            for (int i = 0; i < g.groups().size(); i++) {
                int first = g.firstExpertOf(i);
                gap = Math.min(gap, gap(Arrays.copyOfRange(expert, first, first + g.groups().get(i).experts()),
                        g.topExpertsPerGroup()));
            }
            return gap;
        }
        return gap(expert, w.spec().routedExpertsPerToken());
    }

    private static double gap(double[] v, int k) {
        if (k >= v.length) {
            return Double.POSITIVE_INFINITY;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length - k] - s[s.length - k - 1];
    }

    private static double[] logits(FloatMatrix x, int t, FloatMatrix gate) {
        double[] out = new double[gate.cols()];
        for (int j = 0; j < gate.cols(); j++) {
            double sum = 0;
            for (int p = 0; p < gate.rows(); p++) {
                sum += (double) x.get(t, p) * gate.get(p, j);
            }
            out[j] = sum;
        }
        return out;
    }
}
