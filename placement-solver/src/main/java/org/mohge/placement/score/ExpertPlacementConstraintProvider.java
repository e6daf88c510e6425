package org.mohge.placement.score;

import static org.optaplanner.core.api.score.stream.ConstraintCollectors.count;
import static org.optaplanner.core.api.score.stream.ConstraintCollectors.max;
import static org.optaplanner.core.api.score.stream.ConstraintCollectors.sumLong;
import static org.optaplanner.core.api.score.stream.ConstraintCollectors.toList;

import java.util.ArrayList;
import java.util.List;
import org.mohge.placement.domain.ExpertCopy;
import org.mohge.placement.domain.ExpertInfo;
import org.mohge.placement.domain.Gpu;
import org.mohge.placement.domain.PlacementParameters;
import org.mohge.placement.domain.CoActivatedPair;
import org.optaplanner.core.api.score.stream.uni.UniConstraintStream;
import org.mohge.placement.domain.CopyLoad;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;
import org.optaplanner.core.api.score.stream.Joiners;
import org.optaplanner.core.api.score.stream.bi.BiConstraintStream;
import org.optaplanner.core.api.score.stream.tri.TriConstraintStream;

/**
 * Scores an expert placement. Hard: HBM, copy slots, one copy of an expert per GPU, primaries
 * placed, spare-slot budget, each penalised in proportion to the violation. Medium: the largest
 * per-GPU expert time. Soft: the sum of squared per-GPU times (for a fixed total it is smallest
 * when the GPUs are even, and it still rewards moves that do not touch the slowest GPU), the same
 * for the all-to-all time of the tokens each GPU receives, and the NIC cost of co-activated experts
 * placed on different nodes when the problem has such pairs.
 *
 * <p>A copy's time and memory depend on how many copies its expert has (they split its tokens),
 * so per-GPU sums first group the copies by expert, then attribute each copy's share.
 */
public class ExpertPlacementConstraintProvider implements ConstraintProvider {
    static final String GPU_MEMORY_CAPACITY = "GPU memory capacity";
    static final String GPU_COPY_SLOTS = "GPU copy slots";
    static final String ONE_COPY_PER_GPU = "One copy of an expert per GPU";
    static final String PRIMARY_COPY_PLACED = "Primary copy placed";
    static final String SPARE_SLOT_BUDGET = "Spare slot budget";
    static final String MAX_GPU_TIME = "Max GPU time";
    static final String GPU_TIME_SQUARES = "Squared GPU time";
    static final String GPU_COMM_SQUARES = "Squared GPU all-to-all time";
    static final String CO_ACTIVATED_ACROSS_NODES = "Co-activated experts across nodes";

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            // Hard
            gpuMemoryCapacity(factory),
            gpuCopySlots(factory),
            oneCopyPerGpu(factory),
            primaryCopyPlaced(factory),
            spareSlotBudget(factory),
            // Medium
            maxGpuTime(factory),
            // Soft
            gpuTimeSquares(factory),
            gpuCommSquares(factory),
            coActivatedAcrossNodes(factory)
        };
    }

    /** (expert, what each of its held copies adds to its GPU). */
    private static BiConstraintStream<ExpertInfo, CopyLoad> copyLoads(ConstraintFactory factory) {
        return factory.forEach(ExpertCopy.class)
                .filter(ExpertCopy::isAssigned)
                .groupBy(ExpertCopy::getExpert, toList())
                .flattenLast(ExpertPlacementConstraintProvider::loadsOf);
    }

    private static Iterable<CopyLoad> loadsOf(List<ExpertCopy> held) {
        int copies = held.size();
        List<CopyLoad> loads = new ArrayList<>(copies);
        for (ExpertCopy copy : held) {
            ExpertInfo expert = copy.getExpert();
            loads.add(new CopyLoad(copy.getGpu(), expert, copies, expert.timeUnits(copies),
                    expert.getCommUnits() / copies, expert.memoryMiB(copies)));
        }
        return loads;
    }

    /**
     * (GPU, the copies it holds, the parameters whose {@link PlacementParameters#gpuTime()} prices
     * them from the whole set, so wave and tile quantization count, not only the linearised sum).
     * The max and the squares both start here.
     */
    private static TriConstraintStream<Gpu, List<CopyLoad>, PlacementParameters> gpuCopySets(
            ConstraintFactory factory) {
        return copyLoads(factory)
                .groupBy((expert, load) -> load.gpu(), toList((expert, load) -> load))
                .join(PlacementParameters.class);
    }

    // ************************************************************************
    // Hard
    // ************************************************************************

    /** MiB by which a GPU's copies exceed the HBM it has left for experts. */
    Constraint gpuMemoryCapacity(ConstraintFactory factory) {
        return copyLoads(factory)
                .groupBy((expert, load) -> load.gpu(), sumLong((expert, load) -> load.memoryMiB()))
                .filter((gpu, mib) -> mib > gpu.getExpertBudgetMiB())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (gpu, mib) -> mib - gpu.getExpertBudgetMiB())
                .asConstraint(GPU_MEMORY_CAPACITY);
    }

    /** Copies a GPU holds beyond {@code maxExpertsPerGpu}. */
    Constraint gpuCopySlots(ConstraintFactory factory) {
        return factory.forEach(ExpertCopy.class)
                .filter(ExpertCopy::isAssigned)
                .groupBy(ExpertCopy::getGpu, count())
                .filter((gpu, copies) -> copies > gpu.getMaxCopies())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (gpu, copies) -> copies - (long) gpu.getMaxCopies())
                .asConstraint(GPU_COPY_SLOTS);
    }

    /** Each pair of copies of one expert on one GPU (a second copy there serves no purpose). */
    Constraint oneCopyPerGpu(ConstraintFactory factory) {
        return factory.forEachUniquePair(ExpertCopy.class,
                        Joiners.equal(ExpertCopy::getExpert), Joiners.equal(ExpertCopy::getGpu))
                .filter((a, b) -> a.isAssigned())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (a, b) -> 1)
                .asConstraint(ONE_COPY_PER_GPU);
    }

    /**
     * An unplaced primary copy, weighted by the expert's memory plus one, so that dropping an
     * expert can never pay for itself by relieving an HBM or slot overflow.
     */
    Constraint primaryCopyPlaced(ConstraintFactory factory) {
        return factory.forEachIncludingNullVars(ExpertCopy.class)
                .filter(copy -> copy.isPrimary() && !copy.isAssigned())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, copy -> copy.getExpert().memoryMiB(1) + 1)
                .asConstraint(PRIMARY_COPY_PLACED);
    }

    /** Extra copies held beyond the spare slots. */
    Constraint spareSlotBudget(ConstraintFactory factory) {
        return factory.forEach(ExpertCopy.class)
                .filter(ExpertCopy::isAssignedSpare)
                .groupBy(count())
                .join(PlacementParameters.class)
                .filter((spares, parameters) -> spares > parameters.spareSlots())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD,
                        (spares, parameters) -> spares - (long) parameters.spareSlots())
                .asConstraint(SPARE_SLOT_BUDGET);
    }

    // ************************************************************************
    // Medium
    // ************************************************************************

    /** The slowest GPU's expert time, in time units. */
    Constraint maxGpuTime(ConstraintFactory factory) {
        return gpuCopySets(factory)
                .groupBy(max((Gpu gpu, List<CopyLoad> loads, PlacementParameters parameters)
                        -> parameters.gpuTime().timeUnits(loads), Long::compare))
                .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, time -> time)
                .asConstraint(MAX_GPU_TIME);
    }

    // ************************************************************************
    // Soft
    // ************************************************************************

    /** Sum over GPUs of the squared expert time, in squared time units. */
    Constraint gpuTimeSquares(ConstraintFactory factory) {
        return gpuCopySets(factory)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (gpu, loads, parameters) -> {
                    long time = parameters.gpuTime().timeUnits(loads);
                    return time * time;
                })
                .asConstraint(GPU_TIME_SQUARES);
    }

    /**
     * Sum over GPUs of the squared all-to-all time of the tokens they receive, in squared time
     * units: among placements with the same expert times, prefer the one whose GPUs receive even
     * token counts (dispatch, combine and the un-permute end with the busiest receiver).
     */
    Constraint gpuCommSquares(ConstraintFactory factory) {
        return copyLoads(factory)
                .filter((expert, load) -> load.commUnits() > 0)
                .groupBy((expert, load) -> load.gpu(), sumLong((expert, load) -> load.commUnits()))
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (gpu, comm) -> comm * comm)
                .asConstraint(GPU_COMM_SQUARES);
    }

    /** Loads of the copies of experts in some co-activated pair (none, at no cost, without pairs). */
    private static UniConstraintStream<CopyLoad> coActivatedLoads(ConstraintFactory factory) {
        return copyLoads(factory)
                .filter((expert, load) -> expert.isCoActivated())
                .groupBy((expert, load) -> load);
    }

    /**
     * Co-activated experts on different nodes: for every pair of their copies on different nodes,
     * the pair's penalty times the share of the pair's tokens that meet there (1 / copies of each).
     */
    Constraint coActivatedAcrossNodes(ConstraintFactory factory) {
        UniConstraintStream<CopyLoad> loads = coActivatedLoads(factory);
        UniConstraintStream<CopyLoad> others = coActivatedLoads(factory);
        return factory.forEach(CoActivatedPair.class)
                .join(loads, Joiners.equal(CoActivatedPair::getA, CopyLoad::expert))
                .join(others, Joiners.equal((pair, a) -> pair.getB(), CopyLoad::expert),
                        Joiners.filtering((pair, a, b) -> a.gpu().getNode() != b.gpu().getNode()))
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT,
                        (pair, a, b) -> Math.round((double) pair.getPenalty() / ((long) a.copies() * b.copies())))
                .asConstraint(CO_ACTIVATED_ACROSS_NODES);
    }
}
