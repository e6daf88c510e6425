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
 * <p>Moves, between a GPU A near the top and any GPU B (lightest first): shift one to three
 * 128-row tiles of an expert's tokens from its copy on A to its copy on B, or to a new copy on B
 * while spare slots are left (a continuous knob that takes a wave off A without moving a whole
 * copy); then send one or two of A's copies to B and take
 * back none, one or two of B's copies (one for one on GPUs with dozens of copies, where pairs of
 * copies would be too many), keeping HBM, the copy slots and one copy of an expert per GPU, and
 * never raising a GPU's all-to-all time above the slowest GPU's at the start (where dispatch
 * dominates the layer, a faster expert stage must not cost a slower all-to-all). A move is taken (first
 * improvement) when the objective of the evaluator, the mean over layers of the slowest GPU's time, goes down; or when
 * it stays and the solver's soft score goes down: the squared GPU times, the squared all-to-all
 * times at 1/16 weight, and the NIC penalty of co-activated experts split over nodes, weighted as
 * in the constraint streams. It stops at a local optimum, at the deadline or after
 * {@code maxCandidates} priced moves. The result is priced by the evaluator and returned unless
 * the start beats it, so the descent is never worse than its input.
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
    private final List<List<Partner>> partners;

    /** One copy on a GPU: its expert, its share of the expert's tokens and how many copies the expert has. */
    private record Copy(int expert, double share, int copies) {
    }

    /** A co-activated partner of an expert and the soft penalty per unit of their tokens split over nodes. */
    private record Partner(int expert, double weight) {
    }

    /** Where one copy of an expert sits and the share it serves (changes as the descent moves it). */
    private static final class Site {
        int gpu;
        double share;

        Site(int gpu, double share) {
            this.gpu = gpu;
            this.share = share;
        }
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
            partners.get(pair.expertA()).add(new Partner(pair.expertB(), weight));
            partners.get(pair.expertB()).add(new Partner(pair.expertA(), weight));
        }
    }

    /**
     * A placement at least as good as {@code start} by the evaluator (the start itself when the
     * descent ends worse, which the exact objective makes rare but the evaluator has the last word). {@code deadlineNanos} is a
     * {@link System#nanoTime()} value (or {@link Long#MAX_VALUE}); {@code maxCandidates} caps the
     * moves priced, which makes a run without a deadline deterministic.
     */
    public Placement improve(Placement start, long deadlineNanos, long maxCandidates) {
        State state = new State(start);
        state.descend(deadlineNanos, maxCandidates);
        Placement result = state.toPlacement(start);
        PlacementEvaluation before = evaluator.evaluate(start);
        PlacementEvaluation after = evaluator.evaluate(result);
        // Ties go to the result: its soft score (evenness, locality) is better by construction.
        return before.betterThan(after) ? start : result;
    }

    /** The working placement: copies per GPU with their exact times, bytes and all-to-all times. */
    private final class State {
        private final int gpus = costs.gpuCount();
        private final int layers = layerTokens.length;
        private final List<List<Copy>> held = new ArrayList<>();
        /** Where the copies of each expert sit. */
        private final List<List<Site>> sitesOf = new ArrayList<>();
        private final double[][] time;
        private final double[] meanTime;
        private final double[] comm;
        private long candidates;
        /** The slowest GPU's all-to-all time at the start: no move may raise a GPU above it. */
        private double commCeiling;
        /** Copies beyond one per expert, against the spare slots. */
        private int extraCopies;

        State(Placement start) {
            for (int g = 0; g < gpus; g++) {
                held.add(new ArrayList<>());
            }
            for (ExpertPlacement e : start.experts()) {
                sitesOf.add(new ArrayList<>());
                extraCopies += e.replicas().size() - 1;
                for (ExpertReplica r : e.replicas()) {
                    held.get(r.gpu()).add(new Copy(e.expert(), r.share(), e.replicas().size()));
                    sitesOf.get(e.expert()).add(new Site(r.gpu(), r.share()));
                }
            }
            time = new double[layers][gpus];
            meanTime = new double[gpus];
            comm = new double[gpus];
            for (int g = 0; g < gpus; g++) {
                refresh(g);
                commCeiling = Math.max(commCeiling, comm[g]);
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
                            () -> exchangeCoActivationDelta(a, b, onA, fromA, onB, fromB))) {
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
         * For each copy on {@code a}: shift 1 to {@link #SHIFT_TILES} row tiles of its expert's
         * tokens to the expert's copy on {@code b}, or to a new copy there when {@code b} has none
         * and a spare slot is left, landing {@code a}'s copy on a tile boundary (a continuous knob
         * the exchanges cannot turn: it takes a wave off {@code a} without moving a whole copy).
         */
        private boolean tryShareShifts(int a, int b, int[][] top, double objective, double softBefore) {
            List<Copy> onA = held.get(a);
            List<Copy> onB = held.get(b);
            for (int i = 0; i < onA.size(); i++) {
                Copy from = onA.get(i);
                int j = indexOfExpert(onB, from.expert());
                boolean split = j < 0;
                double tokens = meanTokens[from.expert()];
                if (tokens <= 0 || (split ? !canSplit(from) : from.copies() < 2)) {
                    continue;
                }
                int copies = split ? from.copies() + 1 : from.copies();
                double shareOnB = split ? 0 : onB.get(j).share();
                long tiles = (long) Math.ceil(tokens * from.share() / SHIFT_ROWS - 1e-9);
                for (int k = 1; k <= SHIFT_TILES && k <= tiles; k++) {
                    double share = (tiles - k) * SHIFT_ROWS / tokens;
                    double delta = from.share() - share;
                    if (delta <= 0) {
                        continue;
                    }
                    List<Copy> newA = new ArrayList<>(onA);
                    newA.set(i, new Copy(from.expert(), share, copies));
                    List<Copy> newB = new ArrayList<>(onB);
                    Copy onBAfter = new Copy(from.expert(), shareOnB + delta, copies);
                    if (split) {
                        newB.add(onBAfter);
                    } else {
                        newB.set(j, onBAfter);
                    }
                    if (!fits(newA) || !fits(newB)) {
                        continue;
                    }
                    if (accepts(a, b, newA, newB, top, objective, softBefore,
                            () -> shiftCoActivationDelta(from.expert(), a, b, delta, split))) {
                        siteOn(from.expert(), a).share = share;
                        if (split) {
                            sitesOf.get(from.expert()).add(new Site(b, delta));
                            extraCopies++;
                        } else {
                            siteOn(from.expert(), b).share = shareOnB + delta;
                        }
                        commit(a, b, newA, newB);
                        if (split) {
                            recount(from.expert(), copies);
                        }
                        return true;
                    }
                }
            }
            return false;
        }

        /** A spare slot is left and the expert may have one more copy. */
        private boolean canSplit(Copy copy) {
            return extraCopies < costs.spareSlots() && copy.copies() < costs.maxCopiesPerExpert();
        }

        /** Every copy of {@code expert} now counts {@code copies} copies (its per-copy HBM changes with it). */
        private void recount(int expert, int copies) {
            for (Site site : sitesOf.get(expert)) {
                List<Copy> list = held.get(site.gpu);
                int i = indexOfExpert(list, expert);
                list.set(i, new Copy(expert, list.get(i).share(), copies));
            }
        }

        /**
         * Whether GPUs a and b holding {@code newA} and {@code newB} improve the placement: the
         * objective goes down, or it stays and the soft score goes down.
         */
        private boolean accepts(int a, int b, List<Copy> newA, List<Copy> newB, int[][] top, double objective,
                                double softBefore, DoubleSupplier coActivationDelta) {
            candidates++;
            double commA = commOf(newA);
            double commB = commOf(newB);
            if (Math.max(commA, commB) > commCeiling * (1 + TIE)) {
                return false; // the all-to-all would end later: the layer, not the expert stage, decides
            }
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
            double softAfter = sq(mean(timeA)) + sq(mean(timeB)) + COMM_WEIGHT * (sq(commA) + sq(commB));
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
            siteOn(expert, from).gpu = to;
        }

        private Site siteOn(int expert, int gpu) {
            for (Site site : sitesOf.get(expert)) {
                if (site.gpu == gpu) {
                    return site;
                }
            }
            throw new IllegalStateException("expert " + expert + " has no copy on GPU " + gpu);
        }

        /**
         * Change of the co-activation penalty when {@code delta} of the expert's share moves from a
         * to b, where {@code split} means b gets a new copy for it.
         */
        private double shiftCoActivationDelta(int expert, int a, int b, double delta, boolean split) {
            if (partners.get(expert).isEmpty() || a / gpusPerNode == b / gpusPerNode) {
                return 0;
            }
            int[] experts = {expert};
            double before = penaltyOfPairs(experts);
            List<Site> sites = sitesOf.get(expert);
            Site onB = split ? new Site(b, 0) : siteOn(expert, b);
            if (split) {
                sites.add(onB);
            }
            siteOn(expert, a).share -= delta;
            onB.share += delta;
            double after = penaltyOfPairs(experts);
            siteOn(expert, a).share += delta;
            onB.share -= delta;
            if (split) {
                sites.remove(onB);
            }
            return after - before;
        }

        /**
         * Change of the co-activation penalty when the listed copies change GPU (tried on the
         * sites, then put back); only pairs with a moved expert change, and only across nodes.
         */
        private double exchangeCoActivationDelta(int a, int b, List<Copy> onA, int[] fromA, List<Copy> onB,
                                                 int[] fromB) {
            if (a / gpusPerNode == b / gpusPerNode) {
                return 0;
            }
            int[] moved = new int[fromA.length + fromB.length];
            int k = 0;
            boolean paired = false;
            for (int i : fromA) {
                moved[k] = onA.get(i).expert();
                paired |= !partners.get(moved[k++]).isEmpty();
            }
            for (int i : fromB) {
                moved[k] = onB.get(i).expert();
                paired |= !partners.get(moved[k++]).isEmpty();
            }
            if (!paired) {
                return 0;
            }
            double before = penaltyOfPairs(moved);
            moveAll(moved, fromA.length, a, b);
            double after = penaltyOfPairs(moved);
            moveAll(moved, fromA.length, b, a);
            return after - before;
        }

        /** Moves the first {@code fromA} of {@code moved} from a to b and the rest from b to a. */
        private void moveAll(int[] moved, int fromA, int a, int b) {
            for (int m = 0; m < moved.length; m++) {
                if (m < fromA) {
                    moveCopy(moved[m], a, b);
                } else {
                    moveCopy(moved[m], b, a);
                }
            }
        }

        /** Co-activation penalty of the pairs that include one of {@code experts}, each pair once. */
        private double penaltyOfPairs(int[] experts) {
            double sum = 0;
            for (int m = 0; m < experts.length; m++) {
                for (Partner partner : partners.get(experts[m])) {
                    int j = indexOf(experts, partner.expert());
                    if (j >= 0 && j < m) {
                        continue; // counted with experts[j]
                    }
                    sum += partner.weight() * split(experts[m], partner.expert());
                }
            }
            return sum;
        }

        /** Share of a pair's tokens whose two experts meet on different nodes. */
        private double split(int e, int other) {
            double split = 0;
            for (Site x : sitesOf.get(e)) {
                for (Site y : sitesOf.get(other)) {
                    if (x.gpu / gpusPerNode != y.gpu / gpusPerNode) {
                        split += x.share * y.share;
                    }
                }
            }
            return split;
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

        /** The placement the GPUs' copies describe (the copies, not the sites, are what was priced). */
        Placement toPlacement(Placement start) {
            List<List<ExpertReplica>> replicas = new ArrayList<>(start.expertCount());
            for (int e = 0; e < start.expertCount(); e++) {
                replicas.add(new ArrayList<>());
            }
            for (int g = 0; g < gpus; g++) {
                for (Copy copy : held.get(g)) {
                    replicas.get(copy.expert()).add(new ExpertReplica(g, copy.share()));
                }
            }
            List<ExpertPlacement> experts = new ArrayList<>(start.expertCount());
            for (int e = 0; e < start.expertCount(); e++) {
                experts.add(new ExpertPlacement(e, replicas.get(e)));
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
     * null when that would put two copies of one expert on the GPU, or send an expert's copy away
     * while taking in another copy of it (a no-op that only swaps their shares).
     */
    private static List<Copy> exchange(List<Copy> own, int[] out, List<Copy> other, int[] in) {
        List<Copy> result = new ArrayList<>(own.size() - out.length + in.length);
        for (int i = 0; i < own.size(); i++) {
            if (!contains(out, i)) {
                result.add(own.get(i));
            }
        }
        for (int j : in) {
            int incoming = other.get(j).expert();
            if (indexOfExpert(own, incoming) >= 0) {
                return null;
            }
            for (Copy c : result) {
                if (c.expert() == incoming) {
                    return null;
                }
            }
            result.add(other.get(j));
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
