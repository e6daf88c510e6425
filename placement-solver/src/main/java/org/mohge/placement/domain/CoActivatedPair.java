package org.mohge.placement.domain;

import org.optaplanner.core.api.domain.lookup.PlanningId;

/**
 * Two experts that tokens pick together: {@code penalty} soft points when all their copies sit on
 * different nodes (split by copy shares when they have several copies).
 */
public class CoActivatedPair {
    @PlanningId
    private int id;
    private ExpertInfo a;
    private ExpertInfo b;
    private long penalty;

    public CoActivatedPair() {
    }

    public CoActivatedPair(int id, ExpertInfo a, ExpertInfo b, long penalty) {
        this.id = id;
        this.a = a;
        this.b = b;
        this.penalty = penalty;
    }

    public int getId() {
        return id;
    }

    public ExpertInfo getA() {
        return a;
    }

    public ExpertInfo getB() {
        return b;
    }

    public long getPenalty() {
        return penalty;
    }
}
