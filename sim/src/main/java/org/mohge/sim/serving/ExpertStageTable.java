package org.mohge.sim.serving;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.LayerOps;

/**
 * The routed-expert stage of one iteration as a function of the tokens T the expert-parallel
 * group runs, summed over the MoE layers. For a point T, each draw takes one MoE layer (draws
 * spread evenly over the layers), gives every expert e a Binomial(T, p_e) token count from the
 * routing model's inclusion probabilities p_e (exact marginals; experts drawn independently),
 * prices every rank's local experts with {@link LayerOps#experts} (so an expert with no token
 * costs nothing and each active one reads its weights once) and keeps the slowest rank. The
 * stage time is the mean over draws times the MoE layer count; the imbalance is the mean of
 * slowest over mean rank time. Expert e sits on rank {@code e mod ep}, which spreads every size
 * group evenly over the ranks (MoHGE's all-size group-decoupled allocation).
 *
 * <p>Points are exact up to {@value #EXACT_UP_TO} tokens, then 4% apart with linear
 * interpolation. Each point draws from its own seed, so values do not depend on query order.
 */
final class ExpertStageTable {
    static final int EXACT_UP_TO = 256;
    private static final double STEP = 1.04;
    private static final int DRAWS = 16;

    private final LayerOps ops;
    private final double[][] inclusion;
    private final int ep;
    private final long seed;
    private final int[] hidden;
    private final Map<Long, double[]> points = new HashMap<>();

    ExpertStageTable(LayerOps ops, double[][] inclusion, int ep, long seed) {
        this.ops = ops;
        this.inclusion = inclusion;
        this.ep = ep;
        this.seed = seed;
        List<ExpertShape> shapes = ops.model().moe().expertShapes();
        hidden = new int[shapes.size()];
        for (ExpertShape e : shapes) {
            hidden[e.index()] = e.hidden();
        }
    }

    /** {stage time in microseconds over all MoE layers, imbalance} for T tokens. */
    double[] at(long tokens) {
        if (tokens <= 0) {
            return new double[] {0, 1};
        }
        if (tokens <= EXACT_UP_TO) {
            return point(tokens);
        }
        double k = Math.floor(Math.log((double) tokens / EXACT_UP_TO) / Math.log(STEP));
        long lo = Math.round(EXACT_UP_TO * Math.pow(STEP, k));
        long hi = Math.round(EXACT_UP_TO * Math.pow(STEP, k + 1));
        if (lo > tokens) {
            lo = tokens;
        }
        if (hi <= lo) {
            return point(lo);
        }
        double[] a = point(lo);
        double[] b = point(hi);
        double w = (double) (tokens - lo) / (hi - lo);
        return new double[] {a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1])};
    }

    private double[] point(long tokens) {
        double[] cached = points.get(tokens);
        if (cached != null) {
            return cached;
        }
        int experts = hidden.length;
        int layers = inclusion.length;
        int local = (experts + ep - 1) / ep;
        double[][] rankTokens = new double[ep][local];
        int[][] rankHidden = new int[ep][local];
        for (int e = 0; e < experts; e++) {
            rankHidden[e % ep][e / ep] = hidden[e];
        }
        for (int r = 0; r < ep; r++) {
            for (int j = 0; j < local; j++) {
                if (rankHidden[r][j] == 0) {
                    rankHidden[r][j] = 1;
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + tokens);
        double sumMax = 0;
        double sumImbalance = 0;
        for (int d = 0; d < DRAWS; d++) {
            double[] p = inclusion[(int) ((long) d * layers / DRAWS)];
            for (int e = 0; e < experts; e++) {
                rankTokens[e % ep][e / ep] = binomial(rng, tokens, Math.min(1.0, p[e]));
            }
            double max = 0;
            double sum = 0;
            for (int r = 0; r < ep; r++) {
                double t = ops.experts(rankTokens[r], rankHidden[r]).timeUs();
                max = Math.max(max, t);
                sum += t;
            }
            sumMax += max;
            sumImbalance += sum > 0 ? max / (sum / ep) : 1;
        }
        double[] value = {sumMax / DRAWS * layers, sumImbalance / DRAWS};
        points.put(tokens, value);
        return value;
    }

    /** Binomial(n, p): inversion for small means, a rounded normal above 30 expected successes. */
    static long binomial(SplittableRandom rng, long n, double p) {
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        double mean = n * p;
        if (mean > 30 && n * (1 - p) > 30) {
            double v = Math.round(mean + Math.sqrt(mean * (1 - p)) * Gaussian.next(rng));
            return (long) Math.max(0, Math.min(n, v));
        }
        if (p > 0.5) {
            return n - binomial(rng, n, 1 - p);
        }
        double u = rng.nextDouble();
        double pmf = Math.exp(n * Math.log1p(-p));
        double cdf = pmf;
        long k = 0;
        double ratio = p / (1 - p);
        while (u > cdf && k < n) {
            pmf *= (double) (n - k) / (k + 1) * ratio;
            k++;
            cdf += pmf;
            if (pmf < 1e-300 && k > mean) {
                break;
            }
        }
        return k;
    }
}
