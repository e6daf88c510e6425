package org.mohge.placement.domain;

import org.optaplanner.core.api.domain.lookup.PlanningId;

/**
 * A GPU as the solver sees it: its index, its node, the HBM left for expert copies (MiB, rounded
 * down) and the most copies it may hold.
 */
public class Gpu {
    @PlanningId
    private int id;
    private int node;
    private long expertBudgetMiB;
    private int maxCopies;

    public Gpu() {
    }

    public Gpu(int id, int node, long expertBudgetMiB, int maxCopies) {
        this.id = id;
        this.node = node;
        this.expertBudgetMiB = expertBudgetMiB;
        this.maxCopies = maxCopies;
    }

    public int getId() {
        return id;
    }

    public int getNode() {
        return node;
    }

    public long getExpertBudgetMiB() {
        return expertBudgetMiB;
    }

    public int getMaxCopies() {
        return maxCopies;
    }

    @Override
    public String toString() {
        return "gpu" + id;
    }
}
