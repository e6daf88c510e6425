package org.mohge.placement.solver;

import java.util.Arrays;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.strategy.EplbStrategy;
import org.mohge.placement.strategy.PlacementContext;
import org.mohge.placement.strategy.PlacementStrategy;
import org.mohge.placement.strategy.ReplicateStrategy;

/**
 * EPLB's placement (or {@code replicate}'s, EPLB made size-aware, when the evaluator finds it
 * better within EPLB's slots), then a short exact descent ({@link PairExchangeDescent}) bounded by counts:
 * at most {@link #CANDIDATES_PER_EXPERT} priced moves per expert and {@link #RESTARTS} restarts,
 * under EPLB's slot limit (no GPU holds more copies than EPLB's {@code ceil(slots / GPUs)}, nor
 * more than the problem allows) and the problem's token split. The descent returns its start
 * unless the evaluator finds its result better, so {@code fast} is never worse than {@code eplb}.
 */
public final class FastStrategy implements PlacementStrategy {
    public static final String NAME = "fast";
    /** Moves the descent may price per expert of the layer. */
    static final long CANDIDATES_PER_EXPERT = 100;
    static final int RESTARTS = 4;
    static final int UNIMPROVED_RESTARTS = 2;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        PlacementProblem problem = context.problem();
        // Start from EPLB, or from the size-aware replicate when the evaluator finds it better (it
        // uses the same spare slots and at most as many copies per GPU).
        Placement start = EplbStrategy.place(problem, NAME);
        Placement replicated = new ReplicateStrategy().place(context);
        if (Arrays.stream(replicated.copiesPerGpu()).max().orElse(0) <= problem.eplbSlotsPerGpu()
                && context.evaluator().evaluate(replicated).betterThan(context.evaluator().evaluate(start))) {
            start = replicated;
        }
        PairExchangeDescent.Result result = new PairExchangeDescent(context.evaluator(), problem.eplbSlotsPerGpu())
                .improve(start,
                PairExchangeDescent.Budget.counted(CANDIDATES_PER_EXPERT * problem.expertCount(), RESTARTS,
                        UNIMPROVED_RESTARTS));
        Placement found = result.placement();
        return new Placement(NAME, found.gpuCount(), found.experts());
    }
}
