package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleSupplier;
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
    /** Token rows of one GEMM tile (the analytical model's, and the usual grouped-GEMM kernels'). */
    static final double SHIFT_ROWS = 128;
    /** Largest share shift tried, in tiles of {@link #SHIFT_ROWS} tokens. */
    static final int SHIFT_TILES = 3;
    /** Most exchanges priced for one pair of GPUs before falling back to one-for-one. */
    static final long PAIR_CANDIDATES = 20_000;

    private final PlacementEvaluator evaluator;
    private final CopyCostTable costs;
    private final LayerOps ops;
    private final double[][] layerTokens;
    /** Tokens of each expert, averaged over the profiled layers. */
    private final double[] meanTokens;
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
        this.meanTokens = new double[layerTokens[0].length];
        for (double[] tokens : layerTokens) {
            for (int e = 0; e < meanTokens.length; e++) {
                meanTokens[e] += tokens[e] / layerTokens.length;
            }
        }
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
            while (candidates < maxCandidates && System.nanoTime() < deadlineNanos
                    && scan(deadlineNanos, maxCandidates)) {
                // first improvement: rescan from the slowest GPU after every move
            }
        }

        /** One pass over the pairs (GPU near the top, any other GPU); true when it applied a move. */
        private boolean scan(long deadlineNanos, long maxCandidates) {
            Integer[] order = byTimeDescending();
            int[][] top = topThreePerLayer();
            double objective = objective();
            double slowest = meanTime[order[0]];
            for (int a : order) {
                if (meanTime[a] < slowest * (1 - TOP_BAND)) {
                    return false;
                }
                for (int i = gpus - 1; i >= 0; i--) {
                    int b = order[i];
                    if (b != a && tryPair(a, b, top, objective)) {
                        return true;
                    }
                    if (candidates >= maxCandidates || System.nanoTime() >= deadlineNanos) {
                        return false;
                    }
                }
            }
            return false;
        }

        /**
         * Tries the share shifts between {@code a} and {@code b}, then every exchange of up to two
         * copies from {@code a} for up to two from {@code b} (one for one when that would price
         * more than {@link #PAIR_CANDIDATES} moves: GPUs with dozens of copies); applies the first
         * improving move.
         */
        private boolean tryPair(int a, int b, int[][] top, double objective) {
            List<Copy> onA = held.get(a);
            List<Copy> onB = held.get(b);
            int largest = subsetCount(onA.size(), 2) * (long) subsetCount(onB.size(), 2) <= PAIR_CANDIDATES ? 2 : 1;
            double softBefore = soft(a) + soft(b);
            if (tryShareShifts(a, b, top, objective, softBefore)) {
                return true;
            }
            for (int[] fromA : subsets(onA.size(), largest)) {
                if (fromA.length == 0) {
                    continue;
                }
                for (int[] fromB : subsets(onB.size(), largest)) {
                    List<Copy> newA = exchange(onA, fromA, onB, fromB);
                    List<Copy> newB = exchange(onB, fromB, onA, fromA);
                    if (newA == null || newB == null || !fits(newA) || !fits(newB)) {
                        continue;
                    }
                    if (accepts(a, b, newA, newB, top, objective, softBefore,
                            () -> coActivationDelta(a, b, onA, fromA, onB, fromB))) {
                        for (int i : fromA) {
                            moveCopy(onA.get(i).expert(), a, b);
                        }
                        for (int i : fromB) {
                            moveCopy(onB.get(i).expert(), b, a);
                        }
                        commit(a, b, newA, newB);
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * For an expert with copies on both GPUs: shift 1 to {@link #SHIFT_TILES} row tiles of its
         * tokens from {@code a}'s copy to {@code b}'s, landing {@code a}'s copy on a tile boundary
         * (a continuous knob the exchanges cannot turn: it takes a wave off {@code a} without
         * moving a whole copy).
         */
        private boolean tryShareShifts(int a, int b, int[][] top, double objective, double softBefore) {
            List<Copy> onA = held.get(a);
            List<Copy> onB = held.get(b);
            for (int i = 0; i < onA.size(); i++) {
                Copy from = onA.get(i);
                int j = from.copies() > 1 ? indexOfExpert(onB, from.expert()) : -1;
                double tokens = meanTokens[from.expert()];
                if (j < 0 || tokens <= 0) {
                    continue;
                }
                Copy to = onB.get(j);
                long tiles = (long) Math.ceil(tokens * from.share() / SHIFT_ROWS - 1e-9);
                for (int k = 1; k <= SHIFT_TILES && k <= tiles; k++) {
                    double share = (tiles - k) * SHIFT_ROWS / tokens;
                    double delta = from.share() - share;
                    if (delta <= 0) {
                        continue;
                    }
                    List<Copy> newA = new ArrayList<>(onA);
                    newA.set(i, new Copy(from.expert(), share, from.copies()));
                    List<Copy> newB = new ArrayList<>(onB);
                    newB.set(j, new Copy(to.expert(), to.share() + delta, to.copies()));
                    if (accepts(a, b, newA, newB, top, objective, softBefore,
                            () -> shiftCoActivationDelta(from.expert(), a, b, delta))) {
                        setShare(from.expert(), a, share);
                        setShare(from.expert(), b, to.share() + delta);
                        commit(a, b, newA, newB);
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Whether GPUs a and b holding {@code newA} and {@code newB} improve the placement: the
         * objective goes down, or it stays and the soft score goes down.
         */
        private boolean accepts(int a, int b, List<Copy> newA, List<Copy> newB, int[][] top, double objective,
                                double softBefore, DoubleSupplier coActivationDelta) {
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
                return false;
            }
            if (newObjective < objective * (1 - TIE)) {
                return true;
            }
            double softAfter = sq(mean(timeA)) + sq(mean(timeB)) + COMM_WEIGHT * (sq(commOf(newA)) + sq(commOf(newB)));
            return softAfter + coActivationDelta.getAsDouble() < softBefore - TIE * softBefore;
        }

        private double soft(int g) {
            return sq(meanTime[g]) + COMM_WEIGHT * sq(comm[g]);
        }

        private void commit(int a, int b, List<Copy> newA, List<Copy> newB) {
            held.set(a, newA);
            held.set(b, newB);
            refresh(a);
            refresh(b);
        }

        private void moveCopy(int expert, int from, int to) {
            for (double[] copy : copiesOf.get(expert)) {
                if ((int) copy[0] == from) {
                    copy[0] = to;
                    return;
                }
            }
        }

        private void setShare(int expert, int gpu, double share) {
            for (double[] copy : copiesOf.get(expert)) {
                if ((int) copy[0] == gpu) {
                    copy[1] = share;
                    return;
                }
            }
        }

        /** Change of the co-activation penalty when {@code delta} of the expert's share moves from a to b. */
        private double shiftCoActivationDelta(int expert, int a, int b, double delta) {
            if (partners.get(expert).isEmpty() || a / gpusPerNode == b / gpusPerNode) {
                return 0;
            }
            double before = penaltyOf(expert);
            double shareA = shareOn(expert, a);
            double shareB = shareOn(expert, b);
            setShare(expert, a, shareA - delta);
            setShare(expert, b, shareB + delta);
            double after = penaltyOf(expert);
            setShare(expert, a, shareA);
            setShare(expert, b, shareB);
            return after - before;
        }

        private double shareOn(int expert, int gpu) {
            for (double[] copy : copiesOf.get(expert)) {
                if ((int) copy[0] == gpu) {
                    return copy[1];
                }
            }
            return 0;
        }

        private double penaltyOf(int expert) {
            double sum = 0;
            for (double[] partner : partners.get(expert)) {
                sum += partner[1] * split(expert, (int) partner[0], new int[0], new int[0], -1, -1, false);
            }
            return sum;
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

    private static int indexOfExpert(List<Copy> copies, int expert) {
        for (int i = 0; i < copies.size(); i++) {
            if (copies.get(i).expert() == expert) {
                return i;
            }
        }
        return -1;
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

    private static int subsetCount(int n, int largest) {
        return 1 + n + (largest > 1 ? n * (n - 1) / 2 : 0);
    }

    /** Index sets of size 0 to {@code largest} (1 or 2) out of {@code n}. */
    private static List<int[]> subsets(int n, int largest) {
        List<int[]> sets = new ArrayList<>(subsetCount(n, largest));
        sets.add(new int[0]);
        for (int i = 0; i < n; i++) {
            sets.add(new int[] {i});
        }
        for (int i = 0; i < n && largest > 1; i++) {
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
