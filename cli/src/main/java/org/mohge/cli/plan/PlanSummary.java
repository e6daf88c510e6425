package org.mohge.cli.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A finished sweep: every point (in id order), the Pareto front and the best design, as written to
 * results.json and printed by {@code --json}. {@code best} is null when no point meets the target;
 * {@code bestReason} then says why.
 */
public record PlanSummary(String sweep, String description, String target, int pointCount, int fittingCount,
                          int meetingCount, List<String> paretoFront, PlanPoint best, String bestReason,
                          List<PlanPoint> points) {

    /** Joins metrics (one per point, any order) with prices and the target. */
    public static PlanSummary of(SweepSpec sweep, List<SweepPoint> points, java.util.Map<String, PointMetrics> byId) {
        List<ParetoFront.Design> fitting = new ArrayList<>();
        List<ParetoFront.Design> meeting = new ArrayList<>();
        for (SweepPoint p : points) {
            PointMetrics m = byId.get(p.id());
            if (m == null) {
                throw new IllegalStateException("no result for point " + p.id());
            }
            if (m.ok()) {
                ParetoFront.Design d = new ParetoFront.Design(p.id(), cost(sweep, p), m.tokensPerSecond());
                fitting.add(d);
                if (sweep.target().isMetBy(m.tokensPerSecond(), m.stepTimeMs(), m.memoryHeadroomPct())) {
                    meeting.add(d);
                }
            }
        }
        List<String> front = ParetoFront.front(fitting);
        Set<String> onFront = new HashSet<>(front);
        Set<String> meets = new HashSet<>();
        meeting.forEach(d -> meets.add(d.id()));
        List<PlanPoint> rows = new ArrayList<>();
        for (SweepPoint p : points) {
            PointMetrics m = byId.get(p.id());
            rows.add(new PlanPoint(p.id(), p.label(), p.gpu(), p.nodes(), p.gpusPerNode(), p.gpuCount(),
                    p.tokensPerStep(), p.layout(), p.groups(), p.topGroups(), p.topExpertsPerGroup(), p.groupBias(),
                    p.intraGroupBalance(), p.placement(), m.status(), m.reason(), cost(sweep, p), m.totalParams(),
                    m.activatedParams(), m.expertSizeRatio(), m.peakMemoryGiB(), m.memoryHeadroomPct(),
                    m.stepTimeMs(), m.tokensPerSecond(), m.imbalance(), meets.contains(p.id()),
                    onFront.contains(p.id())));
        }
        PlanPoint best = ParetoFront.best(meeting).map(d -> rows.stream().filter(r -> r.id().equals(d.id()))
                .findFirst().orElseThrow()).orElse(null);
        String reason;
        if (best != null) {
            reason = "cheapest of " + meeting.size() + " point(s) meeting " + sweep.target().describe();
        } else if (fitting.isEmpty()) {
            List<PlanPoint> invalid = rows.stream().filter(r -> PointMetrics.INVALID.equals(r.status())).toList();
            reason = !rows.isEmpty() && invalid.size() == rows.size()
                    ? "no point is a valid layout (" + points.size() + " point(s), e.g. " + invalid.get(0).id() + ": "
                            + invalid.get(0).reason() + ")"
                    : "no point fits in GPU memory (" + points.size() + " point(s) evaluated"
                            + (invalid.isEmpty() ? "" : ", " + invalid.size() + " of them invalid layouts") + ")";
        } else if (sweep.target().maxStepTimeMs() != null) {
            // A step-time target: say how short the shortest step got.
            double shortest = rows.stream().filter(r -> r.stepTimeMs() != null && PointMetrics.OK.equals(r.status()))
                    .mapToDouble(PlanPoint::stepTimeMs).min().orElse(Double.NaN);
            reason = "none of the " + fitting.size() + " fitting point(s) meets " + sweep.target().describe()
                    + "; the shortest step takes " + Numbers.fixed(shortest, 1) + " ms";
        } else {
            double fastest = fitting.stream().mapToDouble(ParetoFront.Design::tokensPerSecond).max().orElse(0);
            reason = "none of the " + fitting.size() + " fitting point(s) meets " + sweep.target().describe()
                    + "; the fastest reaches " + Numbers.fixed(fastest, 0) + " tokens/s";
        }
        return new PlanSummary(sweep.name(), sweep.description(), sweep.target().describe(), points.size(),
                fitting.size(), meeting.size(), front, best, reason, rows);
    }

    static double cost(SweepSpec sweep, SweepPoint p) {
        Double price = sweep.pricePerGpuHour().get(p.gpu());
        return price == null ? Double.NaN : p.gpuCount() * price;
    }
}
