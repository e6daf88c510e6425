package org.mohge.placement.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;

/**
 * DeepSeek's EPLB as published ({@link EplbAlgorithm}), the baseline other strategies are judged
 * against: weights are token loads (it ignores expert size and HBM), physical slots are the
 * experts plus the spare slots, and the hierarchical mode applies when the model's expert groups
 * are of equal size and their number divides by the nodes (else the global policy). Two physical
 * replicas of an expert that EPLB packs onto one GPU become one copy serving both parts; every
 * physical replica serves an equal part of its expert's tokens (an {@code equal} split).
 */
public final class EplbStrategy implements PlacementStrategy {
    public static final String NAME = "eplb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        return place(context.problem(), NAME);
    }

    /** EPLB's placement of {@code problem}, named {@code name}. */
    public static Placement place(PlacementProblem problem, String name) {
        double[] load = problem.meanShares();
        int physical = problem.expertCount() + problem.spareSlots();
        EplbAlgorithm.Plan plan = EplbAlgorithm.rebalance(load, physical, groups(problem.model().moe()),
                problem.cluster().nodes(), problem.gpuCount());
        return toPlacement(plan, problem.expertCount(), problem.gpuCount(), name);
    }

    /** The number of equal-size expert groups for the hierarchical mode (1 when the groups differ in size). */
    static int groups(MoeLayerSpec moe) {
        if (moe instanceof GroupedMoe grouped) {
            List<ExpertGroup> groups = grouped.groups();
            int size = groups.get(0).experts();
            return groups.stream().allMatch(g -> g.experts() == size) ? groups.size() : 1;
        }
        return 1;
    }

    /** One copy per (expert, GPU) that EPLB's plan uses, serving its physical replicas' equal parts. */
    public static Placement toPlacement(EplbAlgorithm.Plan plan, int experts, int gpus, String name) {
        List<Map<Integer, Integer>> slotsOnGpu = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            slotsOnGpu.add(new LinkedHashMap<>());
        }
        int[] phy2log = plan.physicalToLogical();
        for (int p = 0; p < phy2log.length; p++) {
            slotsOnGpu.get(phy2log[p]).merge(plan.gpuOf()[p], 1, Integer::sum);
        }
        List<ExpertPlacement> list = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            int count = plan.logicalCount()[e];
            List<ExpertReplica> replicas = new ArrayList<>();
            double assigned = 0;
            int i = 0;
            for (Map.Entry<Integer, Integer> slot : slotsOnGpu.get(e).entrySet()) {
                i++;
                double share = i < slotsOnGpu.get(e).size() ? (double) slot.getValue() / count : 1.0 - assigned;
                assigned += share;
                replicas.add(new ExpertReplica(slot.getKey(), share));
            }
            list.add(new ExpertPlacement(e, replicas));
        }
        return new Placement(name, gpus, list);
    }
}
