package org.mohge.placement.persistence;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.CoActivation;
import org.mohge.placement.domain.CoActivatedPair;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertInfo;
import org.mohge.placement.domain.ExpertPlacementSolution;
import org.mohge.placement.domain.Gpu;
import org.mohge.placement.domain.GpuTimeFunction;
import org.mohge.placement.domain.PlacementParameters;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.strategy.ReplicateStrategy;

/**
 * Maps a cost table and a starting {@link Placement} into the planning model, and a solved model
 * back into a {@link Placement} whose copies serve equal shares of their expert's tokens.
 */
public final class SolutionMapper {
    /** Units per balanced GPU: keeps per-copy rounding below 1e-6 of a GPU and squares below 1e13 per GPU. */
    static final double UNITS_PER_BALANCED_GPU = 1e6;
    static final double MIB = 1024.0 * 1024.0;
    /**
     * All-to-all time enters the soft score in units this many times coarser than expert time
     * (its squares weigh 1/16): enough to even out token counts among placements with the same
     * expert times, small enough not to steer the search away from the max expert time.
     */
    static final double COMM_DOWNWEIGHT = 4;

    private SolutionMapper() {
    }

    /**
     * The planning model of {@code costs}, started from {@code initial}. Each expert gets as many
     * copy entities as {@code initial} uses; when spare slots exist, the {@code 2 * spareSlots}
     * experts with the largest single-copy time (the only ones worth a copy) get up to
     * {@code extraCopiesPerExpert} more (never more than {@link CopyCostTable#maxCopiesPerExpert()}).
     * {@code gpuTime} prices a GPU's copies for the max-time constraint, in units of
     * {@link #quantumUs(CopyCostTable)}.
     */
    public static ExpertPlacementSolution toSolution(CopyCostTable costs, Placement initial, int extraCopiesPerExpert,
                                                     GpuTimeFunction gpuTime) {
        return toSolution(costs, initial, extraCopiesPerExpert, gpuTime, Locality.none(costs.gpuCount()));
    }

    /**
     * As {@link #toSolution(CopyCostTable, Placement, int, GpuTimeFunction)}, with GPUs on nodes of
     * {@code locality.gpusPerNode()} and a co-activation penalty per pair: its NIC time in time
     * units, weighted by {@code 2 * UNITS_PER_BALANCED_GPU}, what one more time unit on a balanced
     * GPU adds to the squared-time sum.
     */
    public static ExpertPlacementSolution toSolution(CopyCostTable costs, Placement initial, int extraCopiesPerExpert,
                                                     GpuTimeFunction gpuTime, Locality locality) {
        int gpus = costs.gpuCount();
        double quantumUs = quantumUs(costs);
        List<Gpu> gpuFacts = new ArrayList<>(gpus);
        long budgetMiB = (long) Math.floor(costs.expertBudgetBytes() / MIB);
        for (int g = 0; g < gpus; g++) {
            gpuFacts.add(new Gpu(g, g / locality.gpusPerNode(), budgetMiB, costs.maxExpertsPerGpu()));
        }
        int extra = costs.spareSlots() == 0 ? 0 : Math.min(extraCopiesPerExpert, costs.spareSlots());
        boolean[] candidate = new boolean[costs.expertCount()];
        List<Integer> byTime = new ArrayList<>();
        for (int e = 0; e < costs.expertCount(); e++) {
            byTime.add(e);
        }
        byTime.sort(java.util.Comparator.comparingDouble((Integer e) -> -costs.copyTimeUs(e, 1))
                .thenComparingInt(e -> e));
        for (int i = 0; i < Math.min(byTime.size(), 2L * costs.spareSlots()); i++) {
            candidate[byTime.get(i)] = true;
        }
        List<ExpertInfo> experts = new ArrayList<>(costs.expertCount());
        List<ExpertCopy> copies = new ArrayList<>();
        for (int e = 0; e < costs.expertCount(); e++) {
            List<ExpertReplica> replicas = initial.experts().get(e).replicas();
            int entities = Math.min(costs.maxCopiesPerExpert(),
                    Math.max(replicas.size(), 1 + (candidate[e] ? extra : 0)));
            long[] time = new long[entities];
            long[] memory = new long[entities];
            for (int r = 1; r <= entities; r++) {
                time[r - 1] = Math.round(costs.copyTimeUs(e, r) / quantumUs);
                memory[r - 1] = (long) Math.ceil(costs.copyBytes(e, r) / MIB);
            }
            ExpertInfo expert = new ExpertInfo(e, time, memory);
            expert.setCommUnits(Math.round(costs.copyCommUs(e, 1) / quantumUs / COMM_DOWNWEIGHT));
            experts.add(expert);
            for (int c = 0; c < entities; c++) {
                Gpu gpu = c < replicas.size() ? gpuFacts.get(replicas.get(c).gpu()) : null;
                copies.add(new ExpertCopy((long) e * costs.maxCopiesPerExpert() + c, expert, c, gpu));
            }
        }
        List<CoActivatedPair> pairs = new ArrayList<>();
        for (CoActivation pair : locality.pairs()) {
            double units = pair.tokensPerStep() * locality.usPerToken() / quantumUs;
            ExpertInfo a = experts.get(pair.expertA());
            ExpertInfo b = experts.get(pair.expertB());
            a.setCoActivated(true);
            b.setCoActivated(true);
            pairs.add(new CoActivatedPair(pairs.size(), a, b, Math.round(2 * UNITS_PER_BALANCED_GPU * units)));
        }
        return new ExpertPlacementSolution(gpuFacts, experts, pairs,
                new PlacementParameters(costs.spareSlots(), gpuTime), copies, quantumUs);
    }

    /** The solver's time unit: a perfectly balanced GPU's linearised time is a million units. */
    public static double quantumUs(CopyCostTable costs) {
        double balancedUs = costs.totalSingleCopyUs() / costs.gpuCount();
        return balancedUs > 0 ? balancedUs / UNITS_PER_BALANCED_GPU : 1e-6;
    }

    /** {@link #toSolution(CopyCostTable, Placement, int, GpuTimeFunction)} scoring GPUs by linearised sums. */
    public static ExpertPlacementSolution toSolution(CopyCostTable costs, Placement initial, int extraCopiesPerExpert) {
        return toSolution(costs, initial, extraCopiesPerExpert, GpuTimeFunction.LINEAR);
    }

    /**
     * The placement a solved model describes. An expert whose copies are all unplaced (only in an
     * infeasible solution) goes to GPU 0, and a second copy on one GPU is dropped, so the result
     * is always a valid {@link Placement}.
     */
    public static Placement toPlacement(ExpertPlacementSolution solution, String strategy) {
        int experts = solution.getExperts().size();
        List<List<Integer>> gpusOf = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            gpusOf.add(new ArrayList<>());
        }
        for (ExpertCopy copy : solution.getCopies()) {
            if (copy.isAssigned()) {
                List<Integer> held = gpusOf.get(copy.getExpert().getId());
                if (!held.contains(copy.getGpu().getId())) {
                    held.add(copy.getGpu().getId());
                }
            }
        }
        List<ExpertPlacement> list = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            List<Integer> held = gpusOf.get(e);
            if (held.isEmpty()) {
                held.add(0);
            }
            List<ExpertReplica> replicas = new ArrayList<>(held.size());
            for (int i = 0; i < held.size(); i++) {
                replicas.add(new ExpertReplica(held.get(i), ReplicateStrategy.shareOf(i, held.size())));
            }
            list.add(new ExpertPlacement(e, replicas));
        }
        return new Placement(strategy, solution.getGpus().size(), list);
    }
}
