package org.mohge.cli.serve;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One deployment of a serving plan at the target traffic, priced and judged: the point's fields,
 * its cost per hour, and the simulated figures (null when it does not fit; {@code status} says
 * why).
 */
public record ServingPlanPoint(@JsonUnwrapped ServingPoint point, int gpus, double costPerHour, String status,
                               Double ttftP99Ms, Double tpotP99Ms, Double requestsPerS, Double goodputRequestsPerS,
                               Double outputTokensPerSPerGpu, Double peakKvUse, Long rejected, boolean meetsTarget,
                               boolean pareto) {

    static ServingPlanPoint of(ServingPointResult r, double costPerHour, boolean meetsTarget) {
        ServingPoint p = r.point();
        return new ServingPlanPoint(p, p.gpus(), costPerHour, r.ok() ? "ok" : "does not fit: " + r.reason(),
                r.ttftP99Ms(), r.tpotP99Ms(), r.requestsPerS(), r.goodputRequestsPerS(), r.outputTokensPerSPerGpu(),
                r.peakKvUse(), r.rejected(), meetsTarget, false);
    }

    public boolean ok() {
        return ttftP99Ms != null;
    }

    @JsonIgnore
    public String id() {
        return point.id();
    }

    @JsonIgnore
    public String gpu() {
        return point.gpu();
    }

    @JsonIgnore
    public String label() {
        return point.label();
    }

    ServingPlanPoint withPareto(boolean onFront) {
        return new ServingPlanPoint(point, gpus, costPerHour, status, ttftP99Ms, tpotP99Ms, requestsPerS,
                goodputRequestsPerS, outputTokensPerSPerGpu, peakKvUse, rejected, meetsTarget, onFront);
    }
}
