package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.evaluation.PlacementEvaluation;
import org.mohge.placement.evaluation.PlacementEvaluator;

/**
 * Re-splits the tokens of replicated experts between their copies. The search places copies with
 * equal shares; once the copies sit where they sit, moving part of an expert's tokens from its
 * copy on the slowest GPU to its copy on a faster GPU is a continuous knob that the discrete moves
 * cannot turn. Each round takes the slowest GPU, tries its replicated experts' partner copies from
 * the least loaded GPU up, shifts the share that would meet halfway under the linearised copy
 * cost, and keeps a shift only when the exact evaluation improves without a slower layer (halving
 * it when it overshoots).
 * The result is never worse than the input.
 */
public final class ShareBalancer {
    private static final double MIN_SHARE_STEP = 1e-4;
    private static final int HALVINGS = 4;

    private final PlacementEvaluator evaluator;
    private final CopyCostTable costs;

    public ShareBalancer(PlacementEvaluator evaluator, CopyCostTable costs) {
        this.evaluator = evaluator;
        this.costs = costs;
    }

    /** Balanced shares for {@code placement}, within {@code maxEvaluations} exact evaluations. */
    public Placement balance(Placement placement, int maxEvaluations) {
        return balance(placement, null, maxEvaluations);
    }

    /** As {@link #balance(Placement, int)}, given the evaluation of {@code placement} (null: evaluate it here). */
    public Placement balance(Placement placement, PlacementEvaluation evaluation, int maxEvaluations) {
        if (placement.experts().stream().noneMatch(e -> e.replicas().size() > 1)) {
            return placement;
        }
        double[][] shares = shares(placement);
        Placement best = placement;
        PlacementEvaluation bestEval = evaluation != null ? evaluation : evaluator.evaluate(placement);
        int evaluations = 1;
        boolean improved = true;
        while (improved && evaluations < maxEvaluations) {
            improved = false;
            double[] time = bestEval.gpuTimeUs();
            int slowest = argMax(time);
            for (Move move : moves(best, slowest, time)) {
                double step = move.shareStep();
                for (int h = 0; h <= HALVINGS && step >= MIN_SHARE_STEP && evaluations < maxEvaluations; h++) {
                    double[][] trial = copy(shares);
                    trial[move.expert()][move.from()] -= step;
                    trial[move.expert()][move.to()] += step;
                    Placement candidate = withShares(best, trial);
                    PlacementEvaluation eval = evaluator.evaluate(candidate);
                    evaluations++;
                    // Faster experts at the cost of a slower layer (a busier all-to-all) is no gain.
                    if (eval.betterThan(bestEval) && eval.layerTimeUs() <= bestEval.layerTimeUs()) {
                        best = candidate;
                        bestEval = eval;
                        shares = trial;
                        improved = true;
                        break;
                    }
                    step /= 2;
                }
                if (improved) {
                    break;
                }
            }
        }
        return best;
    }

    /** Shift {@code shareStep} of {@code expert}'s tokens from its replica index {@code from} to {@code to}. */
    private record Move(int expert, int from, int to, double targetTimeUs, double shareStep) {
    }

    private List<Move> moves(Placement placement, int slowest, double[] time) {
        List<Move> moves = new ArrayList<>();
        for (ExpertPlacement e : placement.experts()) {
            List<ExpertReplica> replicas = e.replicas();
            if (replicas.size() < 2) {
                continue;
            }
            // Linearised time of the expert's whole load on one GPU: the slope of time per share.
            double fullUs = costs.copyTimeUs(e.expert(), 1);
            for (int from = 0; from < replicas.size(); from++) {
                if (replicas.get(from).gpu() != slowest || replicas.get(from).share() <= 0) {
                    continue;
                }
                for (int to = 0; to < replicas.size(); to++) {
                    int gpu = replicas.get(to).gpu();
                    if (to == from || time[gpu] >= time[slowest] || fullUs <= 0) {
                        continue;
                    }
                    double step = Math.min(replicas.get(from).share(), (time[slowest] - time[gpu]) / 2 / fullUs);
                    moves.add(new Move(e.expert(), from, to, time[gpu], step));
                }
            }
        }
        moves.sort(Comparator.comparingDouble(Move::targetTimeUs).thenComparingInt(Move::expert));
        return moves;
    }

    private static double[][] shares(Placement placement) {
        double[][] shares = new double[placement.expertCount()][];
        for (ExpertPlacement e : placement.experts()) {
            shares[e.expert()] = e.replicas().stream().mapToDouble(ExpertReplica::share).toArray();
        }
        return shares;
    }

    private static Placement withShares(Placement placement, double[][] shares) {
        List<ExpertPlacement> experts = new ArrayList<>(placement.expertCount());
        for (ExpertPlacement e : placement.experts()) {
            List<ExpertReplica> replicas = e.replicas();
            if (replicas.size() == 1) {
                experts.add(e);
                continue;
            }
            List<ExpertReplica> updated = new ArrayList<>(replicas.size());
            double assigned = 0;
            for (int r = 0; r < replicas.size(); r++) {
                // the last copy takes the rounding remainder, so the shares add up to exactly 1
                double share = r < replicas.size() - 1 ? Math.max(0, shares[e.expert()][r]) : Math.max(0, 1 - assigned);
                assigned += share;
                updated.add(new ExpertReplica(replicas.get(r).gpu(), Math.min(1, share)));
            }
            experts.add(new ExpertPlacement(e.expert(), updated));
        }
        return new Placement(placement.strategy(), placement.gpuCount(), experts);
    }

    private static double[][] copy(double[][] shares) {
        double[][] out = new double[shares.length][];
        for (int i = 0; i < shares.length; i++) {
            out[i] = shares[i].clone();
        }
        return out;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
