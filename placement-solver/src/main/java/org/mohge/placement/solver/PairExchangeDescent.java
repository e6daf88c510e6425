package org.mohge.placement.solver;

import java.util.SplittableRandom;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;

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

    final PlacementEvaluator evaluator;
    /** Token rows of one GEMM tile of the cost model in use: a share shift moves whole tiles. */
    final double shiftRows;
    final CopyPricing pricing;
    final CopyCostTable costs;
    /** Share shifts only under {@code weighted} splits; under {@code equal} only whole copies move. */
    final boolean weightedSplit;

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
        DescentState state = new DescentState(this, start, Double.NaN);
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
            state = new DescentState(this, best, commCeiling);
            state.kick(random);
        }
        Placement chosen = startEvaluation.betterThan(bestEvaluation) ? start : best;
        return new Result(chosen, startEvaluation.betterThan(bestEvaluation) ? startEvaluation : bestEvaluation,
                priced, restarts, cut);
    }


    /** True while {@code deadlineNanos} (a {@link System#nanoTime()} value, or MAX_VALUE for none) is ahead. */
    static boolean before(long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE || System.nanoTime() - deadlineNanos < 0;
    }

    /**
     * The placement the descent returns, with the evaluator's verdict on it, the moves it priced,
     * the restarts it made and whether the clock cap ended it (then the result depends on the machine).
     */
    public record Result(Placement placement, PlacementEvaluation evaluation, long candidates, int restarts,
                         boolean cutByClock) {
    }
}
