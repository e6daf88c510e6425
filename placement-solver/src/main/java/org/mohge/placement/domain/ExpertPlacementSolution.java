package org.mohge.placement.domain;

import java.util.List;
import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.domain.solution.ProblemFactProperty;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * The planning problem: GPU and expert facts, the copy entities and the score. Times are in units
 * of {@code timeQuantumUs} microseconds, chosen so that a balanced GPU is about a million units
 * (squares stay far below {@code Long.MAX_VALUE}).
 */
@PlanningSolution
public class ExpertPlacementSolution {
    public static final String GPU_RANGE = "gpuRange";

    @ProblemFactCollectionProperty
    @ValueRangeProvider(id = GPU_RANGE)
    private List<Gpu> gpus;
    @ProblemFactCollectionProperty
    private List<ExpertInfo> experts;
    @ProblemFactCollectionProperty
    private List<CoActivatedPair> pairs;
    @ProblemFactProperty
    private PlacementParameters parameters;
    @PlanningEntityCollectionProperty
    private List<ExpertCopy> copies;
    @PlanningScore
    private HardMediumSoftLongScore score;
    private double timeQuantumUs;

    public ExpertPlacementSolution() {
    }

    public ExpertPlacementSolution(List<Gpu> gpus, List<ExpertInfo> experts, PlacementParameters parameters,
                                   List<ExpertCopy> copies, double timeQuantumUs) {
        this(gpus, experts, List.of(), parameters, copies, timeQuantumUs);
    }

    public ExpertPlacementSolution(List<Gpu> gpus, List<ExpertInfo> experts, List<CoActivatedPair> pairs,
                                   PlacementParameters parameters, List<ExpertCopy> copies, double timeQuantumUs) {
        this.gpus = gpus;
        this.experts = experts;
        this.pairs = pairs;
        this.parameters = parameters;
        this.copies = copies;
        this.timeQuantumUs = timeQuantumUs;
    }

    public List<Gpu> getGpus() {
        return gpus;
    }

    public List<ExpertInfo> getExperts() {
        return experts;
    }

    public List<CoActivatedPair> getPairs() {
        return pairs;
    }

    public PlacementParameters getParameters() {
        return parameters;
    }

    public List<ExpertCopy> getCopies() {
        return copies;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }

    public double getTimeQuantumUs() {
        return timeQuantumUs;
    }
}
