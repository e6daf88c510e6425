package org.mohge.placement.domain;

import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.lookup.PlanningId;
import org.optaplanner.core.api.domain.variable.PlanningVariable;

/**
 * One possible copy of an expert. Copy 0 (the primary) must sit on a GPU; the other copies use
 * spare slots and are only held when {@code gpu} is set, so the solver searches the replica
 * counts and the copy placement together.
 */
@PlanningEntity
public class ExpertCopy {
    @PlanningId
    private long id;
    private ExpertInfo expert;
    private int copyIndex;
    @PlanningVariable(valueRangeProviderRefs = ExpertPlacementSolution.GPU_RANGE, nullable = true)
    private Gpu gpu;

    public ExpertCopy() {
    }

    public ExpertCopy(long id, ExpertInfo expert, int copyIndex, Gpu gpu) {
        this.id = id;
        this.expert = expert;
        this.copyIndex = copyIndex;
        this.gpu = gpu;
    }

    public long getId() {
        return id;
    }

    public ExpertInfo getExpert() {
        return expert;
    }

    public int getCopyIndex() {
        return copyIndex;
    }

    public Gpu getGpu() {
        return gpu;
    }

    public void setGpu(Gpu gpu) {
        this.gpu = gpu;
    }

    public boolean isPrimary() {
        return copyIndex == 0;
    }

    public boolean isAssigned() {
        return gpu != null;
    }

    public boolean isAssignedSpare() {
        return copyIndex > 0 && gpu != null;
    }

    @Override
    public String toString() {
        return expert + "#" + copyIndex + "@" + gpu;
    }
}
