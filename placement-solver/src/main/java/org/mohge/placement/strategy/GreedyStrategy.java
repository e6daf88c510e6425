package org.mohge.placement.strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.CopyCostTable;

/**
 * Longest-processing-time first: experts by decreasing predicted time (one copy each), each onto
 * the GPU with the least predicted time so far that still has room (HBM budget and
 * {@code maxExpertsPerGpu}); ties go to the lower expert index and the lower GPU. When no GPU has
 * room the expert goes to the least-loaded GPU anyway and the evaluation reports the overflow.
 */
public final class GreedyStrategy implements PlacementStrategy {
    public static final String NAME = "greedy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        return pack(context.costs());
    }

    public static Placement pack(CopyCostTable costs) {
        int experts = costs.expertCount();
        int gpus = costs.gpuCount();
        List<Integer> order = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            order.add(e);
        }
        order.sort(Comparator.comparingDouble((Integer e) -> -costs.copyTimeUs(e, 1)).thenComparingInt(e -> e));
        double[] load = new double[gpus];
        double[] bytes = new double[gpus];
        int[] count = new int[gpus];
        int[] gpuOf = new int[experts];
        for (int e : order) {
            double time = costs.copyTimeUs(e, 1);
            double need = costs.copyBytes(e, 1);
            int best = -1;
            for (int g = 0; g < gpus; g++) {
                boolean room = bytes[g] + need <= costs.expertBudgetBytes() && count[g] < costs.maxExpertsPerGpu();
                if (room && (best < 0 || load[g] < load[best])) {
                    best = g;
                }
            }
            if (best < 0) {
                best = 0;
                for (int g = 1; g < gpus; g++) {
                    if (load[g] < load[best]) {
                        best = g;
                    }
                }
            }
            gpuOf[e] = best;
            load[best] += time;
            bytes[best] += need;
            count[best]++;
        }
        List<ExpertPlacement> list = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            list.add(ExpertPlacement.single(e, gpuOf[e]));
        }
        return new Placement(NAME, gpus, list);
    }
}
