package org.mohge.gpu.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.gpu.api.ExpertWeights;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerWeights;

/**
 * Independent textbook MoE forward pass, one token at a time, all in double: written from the
 * layer's definition, sharing no code with the backend (sorting with a comparator for top-k).
 */
final class NaiveMoe {
    record TokenChoice(int[] groups, int[] experts, double[] weights) {
    }

    private NaiveMoe() {
    }

    static double[] logits(float[] x, int xOff, FloatMatrix gate) {
        int d = gate.rows();
        double[] out = new double[gate.cols()];
        for (int j = 0; j < gate.cols(); j++) {
            double s = 0;
            for (int p = 0; p < d; p++) {
                s += (double) x[xOff + p] * gate.get(p, j);
            }
            out[j] = s;
        }
        return out;
    }

    static double[] softmax(double[] v) {
        double max = Arrays.stream(v).max().orElseThrow();
        double[] e = Arrays.stream(v).map(a -> Math.exp(a - max)).toArray();
        double sum = Arrays.stream(e).sum();
        return Arrays.stream(e).map(a -> a / sum).toArray();
    }

    /** Indices of the k largest, larger value first, lower index first among equals. */
    static int[] topK(double[] v, int k) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i));
        return idx.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    static TokenChoice route(LayerWeights w, float[] x, int xOff) {
        double[] el = logits(x, xOff, w.expertGate());
        if (w.spec() instanceof GroupedMoe g) {
            double[] pg = softmax(logits(x, xOff, w.groupGate()));
            int[] groups = topK(pg, g.topGroups());
            int ke = g.topExpertsPerGroup();
            int[] experts = new int[groups.length * ke];
            double[] weights = new double[experts.length];
            double total = 0;
            for (int j = 0; j < groups.length; j++) {
                int first = g.firstExpertOf(groups[j]);
                int n = g.groups().get(groups[j]).experts();
                double[] pe = softmax(Arrays.copyOfRange(el, first, first + n));
                int[] best = topK(pe, ke);
                for (int s = 0; s < ke; s++) {
                    experts[j * ke + s] = first + best[s];
                    weights[j * ke + s] = pg[groups[j]] * pe[best[s]];
                    total += weights[j * ke + s];
                }
            }
            for (int s = 0; s < weights.length; s++) {
                weights[s] /= total;
            }
            return new TokenChoice(groups, experts, weights);
        }
        double[] p = softmax(el);
        int[] experts = topK(p, w.spec().routedExpertsPerToken());
        double total = 0;
        for (int e : experts) {
            total += p[e];
        }
        double[] weights = new double[experts.length];
        for (int s = 0; s < experts.length; s++) {
            weights[s] = p[experts[s]] / total;
        }
        return new TokenChoice(new int[0], experts, weights);
    }

    static double[] ffn(ExpertWeights e, float[] x, int xOff) {
        int d = e.modelHidden();
        double[] h = new double[e.hidden()];
        for (int j = 0; j < e.hidden(); j++) {
            double u = 0;
            double g = 0;
            for (int p = 0; p < d; p++) {
                u += (double) x[xOff + p] * e.up().get(p, j);
                if (e.activation() == Activation.SWIGLU) {
                    g += (double) x[xOff + p] * e.gate().get(p, j);
                }
            }
            h[j] = e.activation() == Activation.SWIGLU
                    ? g / (1 + Math.exp(-g)) * u
                    : 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
        }
        double[] y = new double[d];
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < e.hidden(); j++) {
                y[c] += h[j] * e.down().get(j, c);
            }
        }
        return y;
    }

    /** Full layer output for every token of x. */
    static double[][] forward(LayerWeights w, FloatMatrix x) {
        int d = w.modelHidden();
        double[][] y = new double[x.rows()][d];
        for (int t = 0; t < x.rows(); t++) {
            TokenChoice c = route(w, x.data(), t * d);
            for (int s = 0; s < c.experts().length; s++) {
                double[] out = ffn(w.experts().get(c.experts()[s]), x.data(), t * d);
                for (int k = 0; k < d; k++) {
                    y[t][k] += c.weights()[s] * out[k];
                }
            }
            for (ExpertWeights sh : w.sharedExperts()) {
                double[] out = ffn(sh, x.data(), t * d);
                for (int k = 0; k < d; k++) {
                    y[t][k] += out[k];
                }
            }
        }
        return y;
    }
}
