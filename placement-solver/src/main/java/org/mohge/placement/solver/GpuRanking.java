package org.mohge.placement.solver;

import static org.mohge.placement.solver.PairExchangeDescent.TOP_BAND;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ranks GPUs by their exact expert times for the descent ({@link DescentState}): {@code time[l][g]}
 * is GPU g's time in layer l, {@code meanTime[g]} its mean over layers.
 */
final class GpuRanking {
    private GpuRanking() {
    }

    /**
     * The GPUs moves start from: within {@link PairExchangeDescent#TOP_BAND} of the slowest mean time, slowest
     * first, then any GPU that is among the three slowest of some layer.
     */
    static List<Integer> slowGpus(double[] meanTime, Integer[] order, int[][] topThree) {
        Set<Integer> slow = new LinkedHashSet<>(Arrays.asList(order).subList(0, bandSize(meanTime, order)));
        for (int[] top : topThree) {
            for (int g : top) {
                if (g >= 0) {
                    slow.add(g);
                }
            }
        }
        return new ArrayList<>(slow);
    }

    /** How many GPUs, slowest first in {@code order}, are within {@link PairExchangeDescent#TOP_BAND} of the slowest. */
    static int bandSize(double[] meanTime, Integer[] order) {
        int gpus = meanTime.length;
        int band = 1;
        while (band < gpus && meanTime[order[band]] >= meanTime[order[0]] * (1 - TOP_BAND)) {
            band++;
        }
        return band;
    }

    /** The objective of the evaluator: the mean over layers of the slowest GPU's time. */
    static double objective(double[][] time) {
        int layers = time.length;
        int gpus = time[0].length;
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            double max = 0;
            for (int g = 0; g < gpus; g++) {
                max = Math.max(max, time[l][g]);
            }
            sum += max;
        }
        return sum / layers;
    }

    /** Slowest time of layer {@code l} over the GPUs other than a and b. */
    static double others(double[][] time, int[] topThree, int l, int a, int b) {
        for (int g : topThree) {
            if (g >= 0 && g != a && g != b) {
                return time[l][g];
            }
        }
        return 0;
    }

    static int[][] topThreePerLayer(double[][] time) {
        int layers = time.length;
        int gpus = time[0].length;
        int[][] top = new int[layers][];
        for (int l = 0; l < layers; l++) {
            int[] best = {-1, -1, -1};
            for (int g = 0; g < gpus; g++) {
                for (int k = 0; k < 3; k++) {
                    if (best[k] < 0 || time[l][g] > time[l][best[k]]) {
                        System.arraycopy(best, k, best, k + 1, 2 - k);
                        best[k] = g;
                        break;
                    }
                }
            }
            top[l] = best;
        }
        return top;
    }

    static Integer[] byTimeDescending(double[] meanTime) {
        int gpus = meanTime.length;
        Integer[] order = new Integer[gpus];
        for (int g = 0; g < gpus; g++) {
            order[g] = g;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -meanTime[g]).thenComparingInt(g -> g));
        return order;
    }
}
