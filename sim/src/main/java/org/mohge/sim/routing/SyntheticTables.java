package org.mohge.sim.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.HeterogeneousMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * Builds the synthetic router's {@link SelectionTable}s, layer by layer, and evolves the hot
 * experts from step to step.
 *
 * <p>Grouped models (MoHGE): group g of hidden size {@code W_g} has, for a token of difficulty
 * x, the logit {@code -sharpness * (x - z_g)^2 + (sizePull - groupBias) * W_g / W_max + n_lg},
 * where {@code z_g = g / (Ng - 1)} and {@code n_lg ~ N(0, layerVariation)} is fixed per layer;
 * the softmax becomes inclusion probabilities for the top {@code topGroups}. Inside a group the
 * experts have Zipf popularity {@code (rank + 1)^-s} with {@code s = 1.2 * (1 -
 * intraGroupBalance)}, ranks shuffled per layer, and the top {@code topExpertsPerGroup} are taken.
 *
 * <p>Flat routers (uniform, HMoE): expert e has the logit {@code -skew * ln(rank_e + 1) + n_le},
 * plus for heterogeneous models {@code -sharpness * (x - z_e)^2 + (sizePull - sizePenalty) *
 * h_e / h_max} with {@code z_e} its hidden size scaled to [0, 1]; top-k of one softmax.
 */
final class SyntheticTables {
    static final double MAX_INTRA_GROUP_SKEW = 1.2;

    private final MoeLayerSpec moe;
    private final RoutingSpec spec;
    private final DifficultyTable difficulty;
    private final long seed;
    private final int layers;
    private final int[][] unitExperts;
    /** rank[layer][e]: popularity rank of expert e inside its unit. */
    private final int[][] rank;
    private final double[][] noise;
    private int step;

    SyntheticTables(MoeLayerSpec moe, int layers, RoutingSpec spec, long seed) {
        this.moe = moe;
        this.spec = spec;
        this.seed = seed;
        this.layers = layers;
        this.difficulty = DifficultyTable.of(spec);
        List<ExpertShape> shapes = moe.expertShapes();
        if (moe instanceof GroupedMoe grouped) {
            unitExperts = new int[grouped.groups().size()][];
            for (int g = 0; g < unitExperts.length; g++) {
                int first = grouped.firstExpertOf(g);
                unitExperts[g] = new int[grouped.groups().get(g).experts()];
                for (int j = 0; j < unitExperts[g].length; j++) {
                    unitExperts[g][j] = first + j;
                }
            }
        } else {
            unitExperts = new int[1][shapes.size()];
            for (int e = 0; e < shapes.size(); e++) {
                unitExperts[0][e] = e;
            }
        }
        int firstLevel = moe instanceof GroupedMoe g ? g.groups().size() : shapes.size();
        rank = new int[layers][shapes.size()];
        noise = new double[layers][firstLevel];
        for (int l = 0; l < layers; l++) {
            SplittableRandom rng = Rng.stream(seed, Rng.TABLES, l);
            for (int i = 0; i < firstLevel; i++) {
                noise[l][i] = spec.layerVariation() * rng.nextGaussian();
            }
            for (int[] unit : unitExperts) {
                int[] order = shuffled(unit.length, rng);
                for (int j = 0; j < unit.length; j++) {
                    rank[l][unit[j]] = order[j];
                }
            }
        }
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Moves the hot experts forward to step {@code target} (steps only go forward). */
    void advanceTo(int target) {
        while (step < target) {
            step++;
            if (spec.drift() == 0) {
                continue;
            }
            for (int l = 0; l < layers; l++) {
                SplittableRandom rng = Rng.stream(seed, Rng.DRIFT, step, l);
                for (int[] unit : unitExperts) {
                    for (int j = 0; j < unit.length; j++) {
                        if (rng.nextDouble() < spec.drift()) {
                            int other = unit[rng.nextInt(unit.length)];
                            int t = rank[l][unit[j]];
                            rank[l][unit[j]] = rank[l][other];
                            rank[l][other] = t;
                        }
                    }
                }
            }
        }
    }

    int step() {
        return step;
    }

    SelectionTable table(int layer) {
        return moe instanceof GroupedMoe grouped ? groupedTable(grouped, layer) : flatTable(layer);
    }

    private SelectionTable groupedTable(GroupedMoe grouped, int layer) {
        List<ExpertGroup> groups = grouped.groups();
        int ng = groups.size();
        double maxHidden = groups.get(ng - 1).expertHidden();
        boolean byDifficulty = spec.sharpness() > 0 && ng > 1;
        int bins1 = byDifficulty ? DifficultyTable.BINS : 1;
        double[] cum1 = new double[bins1 * (ng + 1)];
        double[] logits = new double[ng];
        for (int b = 0; b < bins1; b++) {
            double x = byDifficulty ? difficulty.value(b) : 0;
            for (int g = 0; g < ng; g++) {
                double z = ng == 1 ? 0.5 : (double) g / (ng - 1);
                double sizeTerm = (spec.sizePull() - spec.groupBias()) * groups.get(g).expertHidden() / maxHidden;
                logits[g] = (byDifficulty ? -spec.sharpness() * (x - z) * (x - z) : 0) + sizeTerm + noise[layer][g];
            }
            double[] pi = Inclusion.fromPreferences(Inclusion.softmax(logits), grouped.topGroups());
            Inclusion.cumulative(pi, grouped.topGroups(), cum1, b * (ng + 1));
        }
        double s = MAX_INTRA_GROUP_SKEW * (1 - spec.intraGroupBalance());
        double[][] cum2 = new double[ng][];
        for (int g = 0; g < ng; g++) {
            int[] ids = unitExperts[g];
            double[] w = new double[ids.length];
            for (int j = 0; j < ids.length; j++) {
                w[j] = Math.pow(rank[layer][ids[j]] + 1, -s);
            }
            double[] pi = Inclusion.fromPreferences(normalised(w), grouped.topExpertsPerGroup());
            cum2[g] = new double[ids.length + 1];
            Inclusion.cumulative(pi, grouped.topExpertsPerGroup(), cum2[g], 0);
        }
        return new SelectionTable(grouped.expertCount(), ng, grouped.topGroups(), bins1, cum1, unitExperts,
                grouped.topExpertsPerGroup(), 1, cum2);
    }

    private SelectionTable flatTable(int layer) {
        List<ExpertShape> shapes = moe.expertShapes();
        int n = shapes.size();
        int k = moe.routedExpertsPerToken();
        int minHidden = Integer.MAX_VALUE;
        int maxHidden = 0;
        for (ExpertShape e : shapes) {
            minHidden = Math.min(minHidden, e.hidden());
            maxHidden = Math.max(maxHidden, e.hidden());
        }
        boolean heterogeneous = moe instanceof HeterogeneousMoe && minHidden != maxHidden;
        boolean byDifficulty = heterogeneous && spec.sharpness() > 0;
        int bins = byDifficulty ? DifficultyTable.BINS : 1;
        double[] cum = new double[bins * (n + 1)];
        double[] logits = new double[n];
        for (int b = 0; b < bins; b++) {
            double x = byDifficulty ? difficulty.value(b) : 0;
            for (int e = 0; e < n; e++) {
                double logit = -spec.skew() * Math.log(rank[layer][e] + 1.0) + noise[layer][e];
                if (heterogeneous) {
                    double z = (double) (shapes.get(e).hidden() - minHidden) / (maxHidden - minHidden);
                    if (byDifficulty) {
                        logit -= spec.sharpness() * (x - z) * (x - z);
                    }
                    logit += (spec.sizePull() - spec.sizePenalty()) * shapes.get(e).hidden() / maxHidden;
                }
                logits[e] = logit;
            }
            double[] pi = Inclusion.fromPreferences(Inclusion.softmax(logits), k);
            Inclusion.cumulative(pi, k, cum, b * (n + 1));
        }
        return new SelectionTable(n, 1, 1, 1, new double[] {0, 1}, unitExperts, k, bins, new double[][] {cum});
    }

    private static double[] normalised(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        double[] q = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = w[i] / sum;
        }
        return q;
    }

    static List<SelectionTable> all(SyntheticTables tables) {
        List<SelectionTable> list = new ArrayList<>(tables.layers);
        for (int l = 0; l < tables.layers; l++) {
            list.add(tables.table(l));
        }
        return list;
    }
}
