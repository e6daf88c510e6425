package org.mohge.placement.solver;

import static org.mohge.placement.solver.CopyExchanges.exchange;
import static org.mohge.placement.solver.CopyExchanges.indexOfExpert;
import static org.mohge.placement.solver.CopyExchanges.subsetCount;
import static org.mohge.placement.solver.CopyExchanges.subsets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.persistence.Locality;

/**
 * Exact pair-exchange descent on the slowest GPUs, run after the OptaPlanner search.
 *
 * <p>Why: a GPU's exact expert time is a staircase (a grouped GEMM runs in whole waves of
 * equal-width tiles; one wave of the gate/up GEMM is 0.4-1.9% of a GPU's time on the benchmark
 * instances), so within 1% of the perfect-balance bound means that the slowest GPUs sit on the
 * lowest step their work allows. The search prices moves through the constraint streams (under
 * 10^5 per second) and touches the slowest GPU with only one move in G; this descent prices only
 * the two GPUs a move touches, through {@link CopyPricing}, at over a million per second, and only
 * looks at moves that start on a GPU within {@link #TOP_BAND} of the slowest.
 *
 * <p>Moves, between a GPU A near the top and any GPU B (lightest first): under {@code weighted}
 * token splits only, shift one to three
 * GEMM tiles (the cost model's {@code gemmTileRows()}) of an expert's tokens from its copy on A to its copy on B, or to a new copy on B
 * while spare slots are left (a continuous knob that takes a wave off A without moving a whole
 * copy); then send one or two of A's copies to B and take
 * back none, one or two of B's copies (one for one on GPUs with dozens of copies, where pairs of
 * copies would be too many), keeping HBM, the copy slots and one copy of an expert per GPU, and
 * never raising a GPU's all-to-all time above the slowest GPU's at the start (where dispatch
 * dominates the layer, a faster expert stage must not cost a slower all-to-all). A move is taken (first
 * improvement) when the objective of the evaluator, the mean over layers of the slowest GPU's time, goes down; or when
 * it stays and the solver's soft score goes down: the squared GPU times, the squared all-to-all
 * times at 1/16 weight, and the NIC penalty of co-activated experts split over nodes, weighted as
 * in the constraint streams. At a local optimum with time left before the deadline it restarts
 * from the best placement so far after {@link #KICK_EXCHANGES} random exchanges (seeded with the
 * problem's seed), until the deadline or an unimproved-time limit; without a deadline it stops
 * there, deterministically. The best result is
 * priced by the evaluator and returned unless the start beats it, so the descent is never worse
 * than its input.
 */
public final class PairExchangeDescent {
    /** Moves start on GPUs whose time is within this fraction of the slowest GPU's. */
    static final double TOP_BAND = 0.02;
    /** Largest share shift tried, in GEMM tiles of the cost model's {@code gemmTileRows()} tokens. */
    static final int SHIFT_TILES = 3;
    /** Most exchanges priced for one pair of GPUs before falling back to one-for-one. */
    static final long PAIR_CANDIDATES = 20_000;
    /** Random exchanges that restart the descent from its best placement when time is left. */
    static final int KICK_EXCHANGES = 3;
    private static final double COMM_WEIGHT = 1.0 / 16;
    private static final double TIE = 1e-12;

    private final PlacementEvaluator evaluator;
    /** Token rows of one GEMM tile of the cost model in use: a share shift moves whole tiles. */
    private final double shiftRows;
    private final CopyPricing pricing;
    private final CopyCostTable costs;
    /** Share shifts only under {@code weighted} splits; under {@code equal} only whole copies move. */
    private final boolean weightedSplit;

    public PairExchangeDescent(PlacementEvaluator evaluator) {
        this(evaluator, Integer.MAX_VALUE);
    }

    /** A descent that keeps every GPU at or below {@code maxCopiesPerGpu} copies (and the problem's cap). */
    public PairExchangeDescent(PlacementEvaluator evaluator, int maxCopiesPerGpu) {
        this.evaluator = evaluator;
        this.weightedSplit = evaluator.problem().split() == TokenSplit.WEIGHTED;
        this.pricing = new CopyPricing(evaluator, maxCopiesPerGpu);
        this.costs = evaluator.costs();
        this.shiftRows = evaluator.costModel().gemmTileRows();
    }

    /**
     * A placement at least as good as {@code start} by the evaluator (the start itself when the
     * descent ends worse: the exact objective makes that rare, but the evaluator has the last
     * word): one descent, no restarts, at most {@code maxCandidates} moves priced.
     * {@code deadlineNanos} is an optional clock cap (a {@link System#nanoTime()} value, or
     * {@link Long#MAX_VALUE} for none).
     */
    public Result improve(Placement start, long deadlineNanos, long maxCandidates) {
        return improve(start, new Budget(maxCandidates, 0, 0, deadlineNanos));
    }

    /**
     * How long the descent runs, in counts: at most {@code maxCandidates} moves priced in all, at
     * most {@code maxRestarts} seeded restarts, ending after {@code unimprovedRestarts} restarts in
     * a row without a better placement; {@code deadlineNanos} is an optional clock cap
     * ({@link Long#MAX_VALUE}: none), the only limit that makes the result depend on the machine.
     */
    public record Budget(long maxCandidates, int maxRestarts, int unimprovedRestarts, long deadlineNanos) {
        public Budget {
            if (maxCandidates < 0 || maxRestarts < 0 || unimprovedRestarts < 0) {
                throw new IllegalArgumentException("descent budgets must be >= 0");
            }
        }

        /** A budget without a clock cap: the same placement on any machine under any load. */
        public static Budget counted(long maxCandidates, int maxRestarts, int unimprovedRestarts) {
            return new Budget(maxCandidates, maxRestarts, unimprovedRestarts, Long.MAX_VALUE);
        }
    }

    /**
     * As {@link #improve(Placement, long, long)}, and at a local optimum it restarts from its best
     * placement after {@link #KICK_EXCHANGES} seeded random exchanges, within {@code budget}.
     */
    public Result improve(Placement start, Budget budget) {
        PlacementEvaluation startEvaluation = evaluator.evaluate(start);
        long deadlineNanos = budget.deadlineNanos();
        State state = new State(start, Double.NaN);
        double commCeiling = state.commCeiling;
        Placement best = start;
        PlacementEvaluation bestEvaluation = startEvaluation;
        double bestSoft = state.soft();
        SplittableRandom random = new SplittableRandom(evaluator.problem().seed());
        long candidatesLeft = budget.maxCandidates();
        int restarts = 0;
        int unimproved = 0;
        long priced = 0;
        boolean cut = false;
        while (true) {
            state.descend(deadlineNanos, candidatesLeft);
            candidatesLeft -= state.candidates;
            priced += state.candidates;
            Placement found = state.toPlacement(start);
            PlacementEvaluation evaluation = evaluator.evaluate(found);
            double soft = state.soft();
            // Better by the evaluator, or tied with it and better by the soft score (evenness, locality).
            if (evaluation.betterThan(bestEvaluation)
                    || (!bestEvaluation.betterThan(evaluation) && soft < bestSoft)) {
                best = found;
                bestEvaluation = evaluation;
                bestSoft = soft;
                unimproved = 0;
            } else if (restarts > 0) {
                unimproved++;
            }
            if (!before(deadlineNanos)) {
                cut = true;
                break;
            }
            // Restart from the best placement after a few random exchanges while the counts allow
            // (iterated local search).
            if (candidatesLeft <= 0 || restarts >= budget.maxRestarts() || unimproved >= budget.unimprovedRestarts()
                    && restarts > 0) {
                break;
            }
            restarts++;
            state = new State(best, commCeiling);
            state.kick(random);
        }
        Placement chosen = startEvaluation.betterThan(bestEvaluation) ? start : best;
        return new Result(chosen, startEvaluation.betterThan(bestEvaluation) ? startEvaluation : bestEvaluation,
                priced, restarts, cut);
    }

    /** A GPU's part of the soft score: its squared time and, at 1/16 weight, its squared all-to-all time. */
    private static double softOf(double timeUs, double commUs) {
        return timeUs * timeUs + COMM_WEIGHT * commUs * commUs;
    }

    /** The working placement: the copies of each GPU with their exact times and all-to-all times. */
    private final class State {
        private final int gpus = costs.gpuCount();
        private final int layers = pricing.layers();
        private final List<List<CopyOnGpu>> held = new ArrayList<>();
        private final CopySites sites;
        private final double[][] time;
        private final double[] meanTime;
        private final double[] comm;
        /** The slowest GPU's all-to-all time at the start of the descent: no move may raise a GPU above it. */
        private final double commCeiling;
        /** Copies beyond one per expert, against the spare slots. */
        private int extraCopies;
        private long candidates;

        /** {@code commCeiling}: the all-to-all limit, NaN for the slowest GPU's of {@code start}. */
        State(Placement start, double commCeiling) {
            sites = new CopySites(Locality.of(evaluator.problem()), costs);
            for (int g = 0; g < gpus; g++) {
                held.add(new ArrayList<>());
            }
            for (ExpertPlacement e : start.experts()) {
                extraCopies += e.replicas().size() - 1;
                for (ExpertReplica r : e.replicas()) {
                    held.get(r.gpu()).add(new CopyOnGpu(e.expert(), r.share(), e.replicas().size()));
                    sites.add(e.expert(), r.gpu(), r.share());
                }
            }
            time = new double[layers][gpus];
            meanTime = new double[gpus];
            comm = new double[gpus];
            double slowestComm = 0;
            for (int g = 0; g < gpus; g++) {
                refresh(g);
                slowestComm = Math.max(slowestComm, comm[g]);
            }
            this.commCeiling = Double.isNaN(commCeiling) ? slowestComm : commCeiling;
        }

        /** The whole soft score: squared GPU times, squared all-to-all times, split co-activated pairs. */
        double soft() {
            double sum = sites.totalPenalty();
            for (int g = 0; g < gpus; g++) {
                sum += soft(g);
            }
            return sum;
        }

        private void refresh(int g) {
            List<CopyOnGpu> copies = held.get(g);
            double sum = 0;
            for (int l = 0; l < layers; l++) {
                time[l][g] = pricing.timeUs(copies, l);
                sum += time[l][g];
            }
            meanTime[g] = sum / layers;
            comm[g] = pricing.commUs(copies);
        }

        void descend(long deadlineNanos, long maxCandidates) {
            while (candidates < maxCandidates && before(deadlineNanos) && scan(deadlineNanos, maxCandidates)) {
                // first improvement: rescan from the slowest GPU after every move
            }
        }

        /** One pass over the pairs (GPU near the top, any other GPU); true when it applied a move. */
        private boolean scan(long deadlineNanos, long maxCandidates) {
            Integer[] order = byTimeDescending();
            Pass context = new Pass(topThreePerLayer(), objective());
            for (int a : slowGpus(order, context.topThree())) {
                for (int i = gpus - 1; i >= 0; i--) {
                    int b = order[i];
                    if (b != a && tryPair(a, b, context)) {
                        return true;
                    }
                    if (candidates >= maxCandidates || !before(deadlineNanos)) {
                        return false;
                    }
                }
            }
            return false;
        }

        /**
         * The GPUs moves start from: within {@link #TOP_BAND} of the slowest mean time, slowest
         * first, then any GPU that is among the three slowest of some layer.
         */
        private List<Integer> slowGpus(Integer[] order, int[][] topThree) {
            Set<Integer> slow = new LinkedHashSet<>(Arrays.asList(order).subList(0, bandSize(order)));
            for (int[] top : topThree) {
                for (int g : top) {
                    if (g >= 0) {
                        slow.add(g);
                    }
                }
            }
            return new ArrayList<>(slow);
        }

        /**
         * Tries the share shifts between {@code a} and {@code b}, then every exchange of up to two
         * copies from {@code a} for up to two from {@code b} (one for one when that would price
         * more than {@link #PAIR_CANDIDATES} moves: GPUs with dozens of copies); applies the first
         * improving move.
         */
        private boolean tryPair(int a, int b, Pass context) {
            List<CopyOnGpu> onA = held.get(a);
            List<CopyOnGpu> onB = held.get(b);
            double softBefore = soft(a) + soft(b);
            if (weightedSplit && tryShareShifts(a, b, context, softBefore)) {
                return true;
            }
            int largest = subsetCount(onA.size(), 2) * (long) subsetCount(onB.size(), 2) <= PAIR_CANDIDATES ? 2 : 1;
            for (int[] fromA : subsets(onA.size(), largest)) {
                if (fromA.length == 0) {
                    continue;
                }
                for (int[] fromB : subsets(onB.size(), largest)) {
                    Exchange exchange = exchanged(onA, fromA, onB, fromB);
                    if (exchange == null) {
                        continue;
                    }
                    int[] moved = movedExperts(onA, fromA, onB, fromB);
                    if (accepts(a, b, exchange.onA(), exchange.onB(), context, softBefore,
                            () -> sites.exchangeDelta(a, b, moved, fromA.length))) {
                        sites.moveAll(moved, fromA.length, a, b);
                        commit(a, b, exchange.onA(), exchange.onB());
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
        private boolean tryShareShifts(int a, int b, Pass context, double softBefore) {
            List<CopyOnGpu> onA = held.get(a);
            List<CopyOnGpu> onB = held.get(b);
            for (int i = 0; i < onA.size(); i++) {
                CopyOnGpu from = onA.get(i);
                int j = indexOfExpert(onB, from.expert());
                boolean split = j < 0;
                double tokens = pricing.meanTokens(from.expert());
                if (tokens <= 0 || (split ? !canSplit(from) : from.copies() < 2)) {
                    continue;
                }
                int copies = split ? from.copies() + 1 : from.copies();
                double shareOnB = split ? 0 : onB.get(j).share();
                long tiles = (long) Math.ceil(tokens * from.share() / shiftRows - 1e-9);
                for (int k = 1; k <= SHIFT_TILES && k < tiles; k++) { // a copy keeps at least one tile
                    double share = (tiles - k) * shiftRows / tokens;
                    double delta = from.share() - share;
                    if (delta <= 0) {
                        continue;
                    }
                    List<CopyOnGpu> newA = new ArrayList<>(onA);
                    newA.set(i, new CopyOnGpu(from.expert(), share, copies));
                    List<CopyOnGpu> newB = new ArrayList<>(onB);
                    double newShareOnB = Math.min(1, shareOnB + delta);
                    CopyOnGpu onBAfter = new CopyOnGpu(from.expert(), newShareOnB, copies);
                    if (split) {
                        newB.add(onBAfter);
                    } else {
                        newB.set(j, onBAfter);
                    }
                    if (!pricing.fits(newA) || !pricing.fits(newB)) {
                        continue;
                    }
                    if (accepts(a, b, newA, newB, context, softBefore,
                            () -> sites.shiftDelta(from.expert(), a, b, delta, split))) {
                        sites.setShare(from.expert(), a, share);
                        if (split) {
                            sites.add(from.expert(), b, delta);
                            extraCopies++;
                        } else {
                            sites.setShare(from.expert(), b, newShareOnB);
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

        /**
         * {@link #KICK_EXCHANGES} random one-for-one exchanges (or single moves) between a GPU
         * within {@link #TOP_BAND} of the slowest and any other GPU, kept within HBM, slots and
         * the all-to-all ceiling but not judged: a way out of the local optimum.
         */
        void kick(SplittableRandom random) {
            Integer[] order = byTimeDescending();
            int band = bandSize(order);
            for (int done = 0, tries = 0; done < KICK_EXCHANGES && tries < 100 * KICK_EXCHANGES; tries++) {
                int a = order[random.nextInt(band)];
                int b = random.nextInt(gpus);
                List<CopyOnGpu> onA = held.get(a);
                List<CopyOnGpu> onB = held.get(b);
                if (a == b || onA.isEmpty()) {
                    continue;
                }
                int[] fromA = {random.nextInt(onA.size())};
                int[] fromB = onB.isEmpty() || random.nextBoolean() ? new int[0]
                        : new int[] {random.nextInt(onB.size())};
                Exchange exchange = exchanged(onA, fromA, onB, fromB);
                if (exchange == null
                        || !withinCeiling(pricing.commUs(exchange.onA()), pricing.commUs(exchange.onB()))) {
                    continue;
                }
                sites.moveAll(movedExperts(onA, fromA, onB, fromB), fromA.length, a, b);
                commit(a, b, exchange.onA(), exchange.onB());
                done++;
            }
        }

        /** A spare slot is left and the expert may have one more copy. */
        private boolean canSplit(CopyOnGpu copy) {
            return extraCopies < costs.spareSlots() && copy.copies() < costs.maxCopiesPerExpert();
        }

        /** Every copy of {@code expert} now counts {@code copies} copies (its per-copy HBM changes with it). */
        private void recount(int expert, int copies) {
            for (int g : sites.gpusOf(expert)) {
                List<CopyOnGpu> list = held.get(g);
                int i = indexOfExpert(list, expert);
                list.set(i, list.get(i).withCopies(copies));
            }
        }

        /**
         * Whether GPUs a and b holding {@code newA} and {@code newB} improve the placement: no GPU
         * above the all-to-all ceiling, and the objective goes down, or stays while the soft
         * score goes down.
         */
        private boolean accepts(int a, int b, List<CopyOnGpu> newA, List<CopyOnGpu> newB, Pass context,
                                double softBefore, DoubleSupplier coActivationDelta) {
            candidates++;
            double commA = pricing.commUs(newA);
            double commB = pricing.commUs(newB);
            if (!withinCeiling(commA, commB)) {
                return false; // the all-to-all would end later: the layer, not the expert stage, decides
            }
            double sumA = 0;
            double sumB = 0;
            double newObjective = 0;
            for (int l = 0; l < layers; l++) {
                double timeA = pricing.timeUs(newA, l);
                double timeB = pricing.timeUs(newB, l);
                sumA += timeA;
                sumB += timeB;
                newObjective += Math.max(Math.max(timeA, timeB), others(context.topThree()[l], l, a, b));
            }
            newObjective /= layers;
            if (newObjective > context.objective() * (1 + TIE)) {
                return false;
            }
            if (newObjective < context.objective() * (1 - TIE)) {
                return true;
            }
            double softAfter = softOf(sumA / layers, commA) + softOf(sumB / layers, commB);
            return softAfter + coActivationDelta.getAsDouble() < softBefore - TIE * softBefore;
        }

        private double soft(int g) {
            return softOf(meanTime[g], comm[g]);
        }

        private boolean withinCeiling(double commA, double commB) {
            return Math.max(commA, commB) <= commCeiling * (1 + TIE);
        }

        /**
         * {@code onA} and {@code onB} after the exchange, or null when it would put two copies of
         * an expert on a GPU or break HBM or the copy slots.
         */
        private Exchange exchanged(List<CopyOnGpu> onA, int[] fromA, List<CopyOnGpu> onB, int[] fromB) {
            List<CopyOnGpu> newA = exchange(onA, fromA, onB, fromB);
            List<CopyOnGpu> newB = exchange(onB, fromB, onA, fromA);
            if (newA == null || newB == null || !pricing.fits(newA) || !pricing.fits(newB)) {
                return null;
            }
            return new Exchange(newA, newB);
        }

        /** How many GPUs, slowest first in {@code order}, are within {@link #TOP_BAND} of the slowest. */
        private int bandSize(Integer[] order) {
            int band = 1;
            while (band < gpus && meanTime[order[band]] >= meanTime[order[0]] * (1 - TOP_BAND)) {
                band++;
            }
            return band;
        }

        private void commit(int a, int b, List<CopyOnGpu> newA, List<CopyOnGpu> newB) {
            held.set(a, newA);
            held.set(b, newB);
            refresh(a);
            refresh(b);
        }

        /** The objective of the evaluator: the mean over layers of the slowest GPU's time. */
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
        private double others(int[] topThree, int l, int a, int b) {
            for (int g : topThree) {
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
                for (CopyOnGpu copy : held.get(g)) {
                    replicas.get(copy.expert()).add(new ExpertReplica(g, copy.share()));
                }
            }
            List<ExpertPlacement> experts = new ArrayList<>(start.expertCount());
            for (int e = 0; e < start.expertCount(); e++) {
                experts.add(new ExpertPlacement(e, normalised(replicas.get(e))));
            }
            return new Placement(start.strategy(), start.gpuCount(), experts);
        }
    }

    /** The shares divided by their sum: repeated shifts leave rounding of order 1e-16 behind. */
    private static List<ExpertReplica> normalised(List<ExpertReplica> replicas) {
        double sum = 0;
        for (ExpertReplica r : replicas) {
            sum += r.share();
        }
        List<ExpertReplica> result = new ArrayList<>(replicas.size());
        for (ExpertReplica r : replicas) {
            result.add(new ExpertReplica(r.gpu(), Math.min(1, r.share() / sum)));
        }
        return result;
    }

    /** True while {@code deadlineNanos} (a {@link System#nanoTime()} value, or MAX_VALUE for none) is ahead. */
    private static boolean before(long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE || System.nanoTime() - deadlineNanos < 0;
    }

    /** Experts of the copies at {@code fromA} on a, then of those at {@code fromB} on b. */
    private static int[] movedExperts(List<CopyOnGpu> onA, int[] fromA, List<CopyOnGpu> onB, int[] fromB) {
        int[] moved = new int[fromA.length + fromB.length];
        int k = 0;
        for (int i : fromA) {
            moved[k++] = onA.get(i).expert();
        }
        for (int i : fromB) {
            moved[k++] = onB.get(i).expert();
        }
        return moved;
    }

    /**
     * The placement the descent returns, with the evaluator's verdict on it, the moves it priced,
     * the restarts it made and whether the clock cap ended it (then the result depends on the machine).
     */
    public record Result(Placement placement, PlacementEvaluation evaluation, long candidates, int restarts,
                         boolean cutByClock) {
    }

    /** Two GPUs' copies after an exchange. */
    private record Exchange(List<CopyOnGpu> onA, List<CopyOnGpu> onB) {
    }

    /** What one pass of the descent prices moves against: per layer the three slowest GPUs, and the objective. */
    private record Pass(int[][] topThree, double objective) {
    }
}
