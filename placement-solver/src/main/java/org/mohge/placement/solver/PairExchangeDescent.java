package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.CoActivation;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.persistence.Locality;

/**
 * Exact pair-exchange descent on the slowest GPUs, run after the OptaPlanner search.
 *
 * <p>Why: a GPU's exact expert time is a staircase (a grouped GEMM runs in whole waves of
 * equal-width tiles, one wave of the gate/up GEMM being 1-2% of a GPU's time on the benchmark
 * instances), so within 1% of the perfect-balance bound means that the slowest GPUs sit on the
 * lowest step their work allows. The search prices moves through the constraint streams at about
 * 10^5 moves per second and touches the slowest GPU with only one move in G; this descent prices
 * only the two GPUs a move touches, straight through {@link LayerOps}, at millions per second,
 * and only looks at moves that start on a GPU within {@link #TOP_BAND} of the slowest.
 *
 * <p>Moves: between a GPU A near the top and any GPU B (lightest first), send one or two of A's
 * copies to B and take back none, one or two of B's copies, keeping every copy's share, HBM, the
 * copy slots and one copy of an expert per GPU. A move is taken (first improvement) when the
 * objective of the evaluator, the mean over layers of the slowest GPU's time, goes down; or when
 * it stays and the solver's soft score goes down: the squared GPU times, the squared all-to-all
 * times at 1/16 weight, and the NIC penalty of co-activated experts split over nodes, weighted as
 * in the constraint streams. It stops at a local optimum, at the deadline or after
 * {@code maxCandidates} priced moves. The result is priced by the evaluator and returned only when
 * it beats the start, so the descent is never worse than its input.
 */
public final class PairExchangeDescent {
    /** Moves start on GPUs whose time is within this fraction of the slowest GPU's. */
    static final double TOP_BAND = 0.02;
    private static final double COMM_WEIGHT = 1.0 / 16;
    private static final double TIE = 1e-12;

    private final PlacementEvaluator evaluator;
    private final CopyCostTable costs;
    private final LayerOps ops;
    private final double[][] layerTokens;
    private final int[] hidden;
    private final int gpusPerNode;
    private final List<List<double[]>> partners;

    /** One copy on a GPU: its expert, its share of the expert's tokens and how many copies the expert has. */
    private record Copy(int expert, double share, int copies) {
    }

    public PairExchangeDescent(PlacementEvaluator evaluator) {
        PlacementProblem problem = evaluator.problem();
        this.evaluator = evaluator;
        this.costs = evaluator.costs();
        this.ops = new LayerOps(problem.model(), evaluator.costModel());
        this.layerTokens = problem.layerExpertTokens();
        List<ExpertShape> shapes = problem.model().moe().expertShapes();
        this.hidden = new int[shapes.size()];
        for (ExpertShape s : shapes) {
            hidden[s.index()] = s.hidden();
        }
        this.gpusPerNode = problem.cluster().gpusPerNode();
        // Co-activation partners of each expert, as (other expert, soft weight per split token share).
        Locality locality = Locality.of(problem);
        double balancedUs = costs.totalSingleCopyUs() / costs.gpuCount();
        this.partners = new ArrayList<>();
        for (int e = 0; e < hidden.length; e++) {
            partners.add(new ArrayList<>());
        }
        for (CoActivation pair : locality.pairs()) {
            double weight = 2 * balancedUs * pair.tokensPerStep() * locality.usPerToken();
            partners.get(pair.expertA()).add(new double[] {pair.expertB(), weight});
            partners.get(pair.expertB()).add(new double[] {pair.expertA(), weight});
        }
    }

    /**
     * A placement at least as good as {@code start} by the evaluator. {@code deadlineNanos} is a
     * {@link System#nanoTime()} value (or {@link Long#MAX_VALUE}); {@code maxCandidates} caps the
     * moves priced, which makes a run without a deadline deterministic.
     */
    public Placement improve(Placement start, long deadlineNanos, long maxCandidates) {
        State state = new State(start);
        state.descend(deadlineNanos, maxCandidates);
        Placement result = state.toPlacement(start);
        PlacementEvaluation before = evaluator.evaluate(start);
        PlacementEvaluation after = evaluator.evaluate(result);
        return after.betterThan(before) ? result : start;
    }

    /** The working placement: copies per GPU with their exact times, bytes and all-to-all times. */
    private final class State {
        private final int gpus = costs.gpuCount();
        private final int layers = layerTokens.length;
        private final List<List<Copy>> held = new ArrayList<>();
        /** GPUs holding a copy of each expert, and the share each serves. */
        private final List<List<double[]>> copiesOf = new ArrayList<>();
        private final double[][] time;
        private final double[] meanTime;
        private final double[] bytes;
        private final double[] comm;
        private long candidates;

        State(Placement start) {
            for (int g = 0; g < gpus; g++) {
                held.add(new ArrayList<>());
            }
            for (ExpertPlacement e : start.experts()) {
                copiesOf.add(new ArrayList<>());
                for (ExpertReplica r : e.replicas()) {
                    held.get(r.gpu()).add(new Copy(e.expert(), r.share(), e.replicas().size()));
                    copiesOf.get(e.expert()).add(new double[] {r.gpu(), r.share()});
                }
            }
            time = new double[layers][gpus];
            meanTime = new double[gpus];
            bytes = new double[gpus];
            comm = new double[gpus];
            for (int g = 0; g < gpus; g++) {
                refresh(g);
            }
        }

        private void refresh(int g) {
            List<Copy> copies = held.get(g);
            double sum = 0;
            for (int l = 0; l < layers; l++) {
                time[l][g] = timeUs(copies, l);
                sum += time[l][g];
            }
            meanTime[g] = sum / layers;
            bytes[g] = bytesOf(copies);
            comm[g] = commOf(copies);
        }

        void descend(long deadlineNanos, long maxCandidates) {
            boolean improved = true;
            while (improved && candidates < maxCandidates && System.nanoTime() < deadlineNanos) {
                improved = false;
                Integer[] order = byTimeDescending();
                int[][] top = topThreePerLayer();
                double objective = objective();
                double slowest = meanTime[order[0]];
                scan:
                for (int a : order) {
                    if (meanTime[a] < slowest * (1 - TOP_BAND)) {
                        break;
                    }
                    for (int i = gpus - 1; i >= 0; i--) {
                        int b = order[i];
                        if (b != a && tryPair(a, b, top, objective)) {
                            improved = true;
                            break scan;
                        }
                        if (candidates >= maxCandidates || System.nanoTime() >= deadlineNanos) {
                            break scan;
                        }
                    }
                }
            }
        }

        /** Tries every exchange of up to two copies from {@code a} for up to two from {@code b}; applies the first improving one. */
        private boolean tryPair(int a, int b, int[][] top, double objective) {
            List<Copy> onA = held.get(a);
            List<Copy> onB = held.get(b);
            double softBefore = soft(a) + soft(b);
            for (int[] fromA : subsets(onA.size())) {
                if (fromA.length == 0) {
                    continue;
                }
                for (int[] fromB : subsets(onB.size())) {
                    List<Copy> newA = exchange(onA, fromA, onB, fromB);
                    List<Copy> newB = exchange(onB, fromB, onA, fromA);
                    if (newA == null || newB == null || !fits(newA) || !fits(newB)) {
                        continue;
                    }
                    candidates++;
                    double[] timeA = new double[layers];
                    double[] timeB = new double[layers];
                    double newObjective = 0;
                    for (int l = 0; l < layers; l++) {
                        timeA[l] = timeUs(newA, l);
                        timeB[l] = timeUs(newB, l);
                        newObjective += Math.max(Math.max(timeA[l], timeB[l]), others(top[l], l, a, b));
                    }
                    newObjective /= layers;
                    if (newObjective > objective * (1 + TIE)) {
                        continue;
                    }
                    boolean better = newObjective < objective * (1 - TIE);
                    if (!better) {
                        double softAfter = sq(mean(timeA)) + sq(mean(timeB))
                                + COMM_WEIGHT * (sq(commOf(newA)) + sq(commOf(newB)));
                        double coActivation = coActivationDelta(a, b, onA, fromA, onB, fromB);
                        better = softAfter + coActivation < softBefore - TIE * softBefore;
                    }
                    if (better) {
                        apply(a, b, onA, fromA, onB, fromB, newA, newB);
                        return true;
                    }
                }
            }
            return false;
        }

        private double soft(int g) {
            return sq(meanTime[g]) + COMM_WEIGHT * sq(comm[g]);
        }

        private void apply(int a, int b, List<Copy> onA, int[] fromA, List<Copy> onB, int[] fromB,
                           List<Copy> newA, List<Copy> newB) {
            for (int i : fromA) {
                moveShare(onA.get(i).expert(), a, b);
            }
            for (int i : fromB) {
                moveShare(onB.get(i).expert(), b, a);
            }
            held.set(a, newA);
            held.set(b, newB);
            refresh(a);
            refresh(b);
        }

        private void moveShare(int expert, int from, int to) {
            for (double[] copy : copiesOf.get(expert)) {
                if ((int) copy[0] == from) {
                    copy[0] = to;
                    return;
                }
            }
        }

        /**
         * Change of the co-activation penalty when the listed copies change GPU: only pairs with a
         * moved expert change, and only when {@code a} and {@code b} sit on different nodes.
         */
        private double coActivationDelta(int a, int b, List<Copy> onA, int[] fromA, List<Copy> onB, int[] fromB) {
            if (a / gpusPerNode == b / gpusPerNode) {
                return 0;
            }
            double delta = 0;
            int[] moved = new int[fromA.length + fromB.length];
            int[] movedTo = new int[moved.length];
            int k = 0;
            for (int i : fromA) {
                moved[k] = onA.get(i).expert();
                movedTo[k++] = b;
            }
            for (int i : fromB) {
                moved[k] = onB.get(i).expert();
                movedTo[k++] = a;
            }
            for (int m = 0; m < moved.length; m++) {
                for (double[] partner : partners.get(moved[m])) {
                    int other = (int) partner[0];
                    if (indexOf(moved, other) < m && indexOf(moved, other) >= 0) {
                        continue; // a pair with both experts moved counts once
                    }
                    delta += partner[1] * (split(moved[m], other, moved, movedTo, a, b, true)
                            - split(moved[m], other, moved, movedTo, a, b, false));
                }
            }
            return delta;
        }

        /** Share of the pair's tokens whose experts meet on different nodes, before or after the move. */
        private double split(int e, int other, int[] moved, int[] movedTo, int a, int b, boolean after) {
            double split = 0;
            for (double[] x : copiesOf.get(e)) {
                int gx = after ? gpuAfter(e, (int) x[0], moved, movedTo, a, b) : (int) x[0];
                for (double[] y : copiesOf.get(other)) {
                    int gy = after ? gpuAfter(other, (int) y[0], moved, movedTo, a, b) : (int) y[0];
                    if (gx / gpusPerNode != gy / gpusPerNode) {
                        split += x[1] * y[1];
                    }
                }
            }
            return split;
        }

        private int gpuAfter(int expert, int gpu, int[] moved, int[] movedTo, int a, int b) {
            for (int m = 0; m < moved.length; m++) {
                // the moved copy is the one on the GPU it leaves (a to b, or b to a)
                if (moved[m] == expert && gpu == (movedTo[m] == b ? a : b)) {
                    return movedTo[m];
                }
            }
            return gpu;
        }

        private boolean fits(List<Copy> copies) {
            return copies.size() <= costs.maxExpertsPerGpu() && bytesOf(copies) <= costs.expertBudgetBytes();
        }

        private double objective() {
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
        private double others(int[] top, int l, int a, int b) {
            for (int g : top) {
                if (g >= 0 && g != a && g != b) {
                    return time[l][g];
                }
            }
            return 0;
        }

        private int[][] topThreePerLayer() {
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

        private Integer[] byTimeDescending() {
            Integer[] order = new Integer[gpus];
            for (int g = 0; g < gpus; g++) {
                order[g] = g;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -meanTime[g]).thenComparingInt(g -> g));
            return order;
        }

        Placement toPlacement(Placement start) {
            List<ExpertPlacement> experts = new ArrayList<>(start.expertCount());
            for (int e = 0; e < start.expertCount(); e++) {
                List<ExpertReplica> replicas = new ArrayList<>();
                for (double[] copy : copiesOf.get(e)) {
                    replicas.add(new ExpertReplica((int) copy[0], copy[1]));
                }
                experts.add(new ExpertPlacement(e, replicas));
            }
            return new Placement(start.strategy(), start.gpuCount(), experts);
        }
    }

    /** Exact expert time of layer {@code l} on a GPU holding {@code copies}. */
    private double timeUs(List<Copy> copies, int l) {
        int n = copies.size();
        if (n == 0) {
            return 0;
        }
        double[] tokens = new double[n];
        int[] h = new int[n];
        for (int i = 0; i < n; i++) {
            Copy c = copies.get(i);
            tokens[i] = layerTokens[l][c.expert()] * c.share();
            h[i] = hidden[c.expert()];
        }
        return ops.experts(tokens, h).timeUs();
    }

    private double bytesOf(List<Copy> copies) {
        double sum = 0;
        for (Copy c : copies) {
            sum += costs.copyBytes(c.expert(), c.copies());
        }
        return sum;
    }

    private double commOf(List<Copy> copies) {
        double sum = 0;
        for (Copy c : copies) {
            sum += costs.copyCommUs(c.expert(), 1) * c.share();
        }
        return sum;
    }

    /**
     * {@code own} without the copies at {@code out}, plus {@code other}'s copies at {@code in};
     * null when that would put two copies of one expert on the GPU.
     */
    private static List<Copy> exchange(List<Copy> own, int[] out, List<Copy> other, int[] in) {
        List<Copy> result = new ArrayList<>(own.size() - out.length + in.length);
        for (int i = 0; i < own.size(); i++) {
            if (!contains(out, i)) {
                result.add(own.get(i));
            }
        }
        for (int j : in) {
            Copy incoming = other.get(j);
            for (Copy c : result) {
                if (c.expert() == incoming.expert()) {
                    return null;
                }
            }
            result.add(incoming);
        }
        return result;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(int[] indices, int i) {
        for (int x : indices) {
            if (x == i) {
                return true;
            }
        }
        return false;
    }

    /** Index sets of size 0, 1 and 2 out of {@code n}. */
    private static List<int[]> subsets(int n) {
        List<int[]> sets = new ArrayList<>(1 + n + n * (n - 1) / 2);
        sets.add(new int[0]);
        for (int i = 0; i < n; i++) {
            sets.add(new int[] {i});
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sets.add(new int[] {i, j});
            }
        }
        return sets;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sq(double x) {
        return x * x;
    }
}
