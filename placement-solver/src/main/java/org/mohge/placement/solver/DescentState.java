package org.mohge.placement.solver;

import static org.mohge.placement.solver.CopyExchanges.exchange;
import static org.mohge.placement.solver.CopyExchanges.indexOfExpert;
import static org.mohge.placement.solver.CopyExchanges.subsetCount;
import static org.mohge.placement.solver.CopyExchanges.subsets;
import static org.mohge.placement.solver.PairExchangeDescent.KICK_EXCHANGES;
import static org.mohge.placement.solver.PairExchangeDescent.PAIR_CANDIDATES;
import static org.mohge.placement.solver.PairExchangeDescent.SHIFT_TILES;
import static org.mohge.placement.solver.PairExchangeDescent.before;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.persistence.Locality;

/**
 * The working placement of a {@link PairExchangeDescent}: the copies of each GPU with their exact
 * times and all-to-all times, and the moves (exchanges, share shifts, random kicks) priced and
 * applied on it. Over 300 lines because the moves and the bookkeeping share these mutable arrays;
 * split, each would have to expose them to the other.
 */
final class DescentState {
    /** Weight of the squared all-to-all time in the soft score (the constraint streams' 1/16). */
    private static final double COMM_WEIGHT = 1.0 / 16;
    private static final double TIE = 1e-12;
    private final PlacementEvaluator evaluator;
    private final CopyPricing pricing;
    private final CopyCostTable costs;
    private final boolean weightedSplit;
    private final double shiftRows;
    private final int gpus;
    private final int layers;
    private final List<List<CopyOnGpu>> held = new ArrayList<>();
    private final CopySites sites;
    private final double[][] time;
    private final double[] meanTime;
    private final double[] comm;
    /** The slowest GPU's all-to-all time at the start of the descent: no move may raise a GPU above it. */
    final double commCeiling;
    /** Copies beyond one per expert, against the spare slots. */
    private int extraCopies;
    /** Moves priced so far. */
    long candidates;

    /** {@code commCeiling}: the all-to-all limit, NaN for the slowest GPU's of {@code start}. */
    DescentState(PairExchangeDescent owner, Placement start, double commCeiling) {
        this.evaluator = owner.evaluator;
        this.pricing = owner.pricing;
        this.costs = owner.costs;
        this.weightedSplit = owner.weightedSplit;
        this.shiftRows = owner.shiftRows;
        this.gpus = costs.gpuCount();
        this.layers = pricing.layers();
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
        Integer[] order = GpuRanking.byTimeDescending(meanTime);
        Pass context = new Pass(GpuRanking.topThreePerLayer(time), GpuRanking.objective(time));
        for (int a : GpuRanking.slowGpus(meanTime, order, context.topThree())) {
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
     * Tries the share shifts between {@code a} and {@code b}, then every exchange of up to two
     * copies from {@code a} for up to two from {@code b} (one for one when that would price
     * more than {@link PairExchangeDescent#PAIR_CANDIDATES} moves: GPUs with dozens of copies); applies the first
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
     * For each copy on {@code a}: shift 1 to {@link PairExchangeDescent#SHIFT_TILES} row tiles of its expert's
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
     * {@link PairExchangeDescent#KICK_EXCHANGES} random one-for-one exchanges (or single moves) between a GPU
     * within {@link PairExchangeDescent#TOP_BAND} of the slowest and any other GPU, kept within HBM, slots and
     * the all-to-all ceiling but not judged: a way out of the local optimum.
     */
    void kick(SplittableRandom random) {
        Integer[] order = GpuRanking.byTimeDescending(meanTime);
        int band = GpuRanking.bandSize(meanTime, order);
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
            newObjective += Math.max(Math.max(timeA, timeB), GpuRanking.others(time, context.topThree()[l], l, a, b));
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


    private void commit(int a, int b, List<CopyOnGpu> newA, List<CopyOnGpu> newB) {
        held.set(a, newA);
        held.set(b, newB);
        refresh(a);
        refresh(b);
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

    /** A GPU's part of the soft score: its squared time and, at 1/16 weight, its squared all-to-all time. */
    static double softOf(double timeUs, double commUs) {
        return timeUs * timeUs + COMM_WEIGHT * commUs * commUs;
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

    /** Two GPUs' copies after an exchange. */
    private record Exchange(List<CopyOnGpu> onA, List<CopyOnGpu> onB) {
    }

    /** What one pass of the descent prices moves against: per layer the three slowest GPUs, and the objective. */
    private record Pass(int[][] topThree, double objective) {
    }
}
