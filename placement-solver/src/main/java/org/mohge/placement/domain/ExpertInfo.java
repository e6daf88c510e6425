package org.mohge.placement.domain;

import org.optaplanner.core.api.domain.lookup.PlanningId;

/**
 * An expert as the solver sees it: what one of its copies costs its GPU when the expert has r
 * copies ({@code timeUnits[r - 1]}, in the solution's time quantum, and {@code memoryMiB[r - 1]},
 * rounded up).
 */
public class ExpertInfo {
    @PlanningId
    private int id;
    private long[] timeUnits;
    private long[] memoryMiB;
    private boolean coActivated;
    private long commUnits;

    public ExpertInfo() {
    }

    public ExpertInfo(int id, long[] timeUnits, long[] memoryMiB) {
        if (timeUnits.length == 0 || timeUnits.length != memoryMiB.length) {
            throw new IllegalArgumentException("expert " + id + " needs one time and one memory figure per copy count");
        }
        this.id = id;
        this.timeUnits = timeUnits.clone();
        this.memoryMiB = memoryMiB.clone();
    }

    public int getId() {
        return id;
    }

    /** Time one copy adds to its GPU when the expert has {@code copies} copies. */
    public long timeUnits(int copies) {
        return timeUnits[Math.min(copies, timeUnits.length) - 1];
    }

    /** Memory one copy needs when the expert has {@code copies} copies. */
    public long memoryMiB(int copies) {
        return memoryMiB[Math.min(copies, memoryMiB.length) - 1];
    }

    /** All-to-all time of all the expert's tokens, in time units (a copy of r carries 1/r of it). */
    public long getCommUnits() {
        return commUnits;
    }

    public void setCommUnits(long commUnits) {
        this.commUnits = commUnits;
    }

    /** True when the expert belongs to a co-activated pair (only those feed the locality constraint). */
    public boolean isCoActivated() {
        return coActivated;
    }

    public void setCoActivated(boolean coActivated) {
        this.coActivated = coActivated;
    }

    public int maxCopies() {
        return timeUnits.length;
    }

    @Override
    public String toString() {
        return "expert" + id;
    }
}
