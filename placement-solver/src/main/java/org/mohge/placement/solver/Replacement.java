package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;
import org.mohge.placement.strategy.PlacementContext;

/**
 * Re-placement under a move budget: from the {@code current} placement, the best placement this
 * search reaches for the problem's (new) loads that adds at most {@code maxMoves} expert copies
 * to GPUs that did not hold them (a move copies an expert's weights, and in training its Adam
 * state, to a GPU; dropping a copy is free). Two candidates, the better by the evaluator kept:
 *
 * <ol>
 *   <li>a greedy descent from {@code current}: on the slowest GPU, the move of one copy to another
 *       GPU, or the swap of two copies, that lowers the pair's slower time most (cheaper in moves
 *       on ties), while the budget allows, keeping the copy slots of {@code current} (no GPU
 *       above its most loaded GPU's count), HBM and one copy of an expert per GPU;</li>
 *   <li>the {@code fast} placement from scratch with its GPUs relabelled to overlap
 *       {@code current} most (greedy matching), when its moves fit the budget.</li>
 * </ol>
 *
 * The current placement itself is returned (no move) unless a candidate is better, so the result
 * is never worse than the current placement and never exceeds the budget.
 */
public final class Replacement {
    private final PlacementEvaluator evaluator;
    private final CopyPricing pricing;
    private final PlacementProblem problem;
    private final ExpertTransfer transfer;

    public Replacement(PlacementEvaluator evaluator) {
        this.evaluator = evaluator;
        this.pricing = new CopyPricing(evaluator, Integer.MAX_VALUE);
        this.problem = evaluator.problem();
        this.transfer = new ExpertTransfer(problem);
    }

    /**
     * A re-placement and what it costs: the copies added ({@code expertsMoved}), their bytes and
     * the time to send them over the cluster's links (each GPU receives and sends its bytes over
     * NVLink inside a node and over its NIC between nodes, all GPUs at once; the slowest GPU sets
     * the time), with the evaluations before and after on the new loads.
     */
    public record Result(Placement placement, PlacementEvaluation before, PlacementEvaluation after,
                         int expertsMoved, double bytesMoved, double transferUs) {
        /** How much max / mean fell (positive: better balanced). */
        public double imbalanceGained() {
            return before.imbalance() - after.imbalance();
        }
    }

    public Result replace(Placement current, int maxMoves) {
        if (maxMoves < 0) {
            throw new IllegalArgumentException("maxMoves must be >= 0, got " + maxMoves);
        }
        PlacementEvaluation before = evaluator.evaluate(current);
        Placement best = current;
        PlacementEvaluation bestEvaluation = before;
        Placement descended = descend(current, maxMoves);
        PlacementEvaluation descendedEvaluation = evaluator.evaluate(descended);
        if (descendedEvaluation.betterThan(bestEvaluation)) {
            best = descended;
            bestEvaluation = descendedEvaluation;
        }
        Placement fresh = relabelled(new FastStrategy().place(new PlacementContext(problem, evaluator)), current);
        if (ExpertTransfer.moves(current, fresh) <= maxMoves) {
            PlacementEvaluation freshEvaluation = evaluator.evaluate(fresh);
            if (freshEvaluation.betterThan(bestEvaluation)) {
                best = fresh;
                bestEvaluation = freshEvaluation;
            }
        }
        Placement named = new Placement("replaced", best.gpuCount(), best.experts());
        return new Result(named, before, bestEvaluation, ExpertTransfer.moves(current, best),
                transfer.bytesMoved(current, best), transfer.transferUs(current, best));
    }

    private Placement descend(Placement current, int maxMoves) {
        int gpus = current.gpuCount();
        boolean[][] original = ExpertTransfer.holds(current);
        boolean[][] held = ExpertTransfer.holds(current);
        List<List<CopyOnGpu>> onGpu = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            onGpu.add(new ArrayList<>());
        }
        for (ExpertPlacement e : current.experts()) {
            for (ExpertReplica r : e.replicas()) {
                onGpu.get(r.gpu()).add(new CopyOnGpu(e.expert(), r.share(), e.replicas().size()));
            }
        }
        int slots = Arrays.stream(current.copiesPerGpu()).max().orElse(1);
        double[] time = new double[gpus];
        for (int g = 0; g < gpus; g++) {
            time[g] = timeOf(onGpu.get(g));
        }
        int used = 0;
        for (int step = 0; step < 4 * (current.expertCount() + gpus); step++) {
            int a = 0;
            for (int g = 1; g < gpus; g++) {
                if (time[g] > time[a]) {
                    a = g;
                }
            }
            Move best = null;
            List<CopyOnGpu> onA = onGpu.get(a);
            for (int i = 0; i < onA.size(); i++) {
                CopyOnGpu c = onA.get(i);
                for (int b = 0; b < gpus; b++) {
                    if (b == a || held[c.expert()][b]) {
                        continue;
                    }
                    List<CopyOnGpu> onB = onGpu.get(b);
                    int outCost = original[c.expert()][a] ? 0 : -1;
                    int inCost = original[c.expert()][b] ? 0 : 1;
                    // move c to b
                    if (onB.size() < slots) {
                        best = better(best, candidate(a, b, onA, i, onB, -1, outCost + inCost, used, maxMoves, time));
                    }
                    // swap c with each copy d on b
                    for (int j = 0; j < onB.size(); j++) {
                        CopyOnGpu d = onB.get(j);
                        if (held[d.expert()][a]) {
                            continue;
                        }
                        int cost = outCost + inCost + (original[d.expert()][b] ? 0 : -1)
                                + (original[d.expert()][a] ? 0 : 1);
                        best = better(best, candidate(a, b, onA, i, onB, j, cost, used, maxMoves, time));
                    }
                }
            }
            if (best == null) {
                break;
            }
            CopyOnGpu c = onA.get(best.fromA());
            held[c.expert()][a] = false;
            held[c.expert()][best.b()] = true;
            if (best.fromB() >= 0) {
                CopyOnGpu d = onGpu.get(best.b()).get(best.fromB());
                held[d.expert()][best.b()] = false;
                held[d.expert()][a] = true;
            }
            onGpu.set(a, best.onA());
            onGpu.set(best.b(), best.onB());
            time[a] = best.timeA();
            time[best.b()] = best.timeB();
            used += best.cost();
        }
        List<List<ExpertReplica>> replicas = new ArrayList<>();
        for (int e = 0; e < current.expertCount(); e++) {
            replicas.add(new ArrayList<>());
        }
        for (int g = 0; g < gpus; g++) {
            for (CopyOnGpu c : onGpu.get(g)) {
                replicas.get(c.expert()).add(new ExpertReplica(g, c.share()));
            }
        }
        List<ExpertPlacement> experts = new ArrayList<>();
        for (int e = 0; e < current.expertCount(); e++) {
            experts.add(new ExpertPlacement(e, replicas.get(e)));
        }
        return new Placement(current.strategy(), gpus, experts);
    }

    /** One priced move: the copy at {@code fromA} on a to b, and the copy at {@code fromB} on b to a (-1: none). */
    private record Move(int b, int fromA, int fromB, List<CopyOnGpu> onA, List<CopyOnGpu> onB, double timeA,
                        double timeB, int cost) {
        double worse() {
            return Math.max(timeA, timeB);
        }
    }

    private Move candidate(int a, int b, List<CopyOnGpu> onA, int i, List<CopyOnGpu> onB, int j, int cost, int used,
                           int maxMoves, double[] time) {
        if (used + cost > maxMoves) {
            return null;
        }
        List<CopyOnGpu> newA = new ArrayList<>(onA);
        List<CopyOnGpu> newB = new ArrayList<>(onB);
        CopyOnGpu c = newA.remove(i);
        if (j >= 0) {
            CopyOnGpu d = newB.remove(j);
            newA.add(d);
        }
        newB.add(c);
        if (!pricing.fits(newA) || !pricing.fits(newB)) {
            return null;
        }
        double timeA = timeOf(newA);
        double timeB = timeOf(newB);
        if (Math.max(timeA, timeB) >= time[a] * (1 - 1e-12)) {
            return null;
        }
        return new Move(b, i, j, newA, newB, timeA, timeB, cost);
    }

    /** The lower slower time of the pair; on ties the cheaper move; then the first found (deterministic order). */
    private static Move better(Move best, Move candidate) {
        if (candidate == null) {
            return best;
        }
        if (best == null || candidate.worse() < best.worse() - 1e-9
                || Math.abs(candidate.worse() - best.worse()) <= 1e-9 && candidate.cost() < best.cost()) {
            return candidate;
        }
        return best;
    }

    private double timeOf(List<CopyOnGpu> copies) {
        double sum = 0;
        for (int l = 0; l < pricing.layers(); l++) {
            sum += pricing.timeUs(copies, l);
        }
        return sum / pricing.layers();
    }

    /** {@code next} with its GPUs renumbered to share the most experts with {@code current} (greedy matching). */
    static Placement relabelled(Placement next, Placement current) {
        int gpus = current.gpuCount();
        boolean[][] held = ExpertTransfer.holds(current);
        int[][] overlap = new int[gpus][gpus];
        for (ExpertPlacement e : next.experts()) {
            for (ExpertReplica r : e.replicas()) {
                for (int j = 0; j < gpus; j++) {
                    if (held[e.expert()][j]) {
                        overlap[r.gpu()][j]++;
                    }
                }
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            for (int j = 0; j < gpus; j++) {
                pairs.add(new int[] {overlap[i][j], i, j});
            }
        }
        pairs.sort((x, y) -> x[0] != y[0] ? Integer.compare(y[0], x[0])
                : x[1] != y[1] ? Integer.compare(x[1], y[1]) : Integer.compare(x[2], y[2]));
        int[] map = new int[gpus];
        Arrays.fill(map, -1);
        boolean[] taken = new boolean[gpus];
        for (int[] p : pairs) {
            if (map[p[1]] < 0 && !taken[p[2]]) {
                map[p[1]] = p[2];
                taken[p[2]] = true;
            }
        }
        List<ExpertPlacement> experts = new ArrayList<>();
        for (ExpertPlacement e : next.experts()) {
            List<ExpertReplica> replicas = new ArrayList<>();
            for (ExpertReplica r : e.replicas()) {
                replicas.add(new ExpertReplica(map[r.gpu()], r.share()));
            }
            experts.add(new ExpertPlacement(e.expert(), replicas));
        }
        return new Placement(next.strategy(), gpus, experts);
    }
}
