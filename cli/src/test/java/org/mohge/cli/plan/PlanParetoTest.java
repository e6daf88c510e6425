package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.cli.plan.ParetoFront.Design;

/** The front and the best choice on hand-made designs. */
class PlanParetoTest {

    @Test
    void frontKeepsOnlyDesignsNoOtherBeatsOnBothCostAndThroughput() {
        List<Design> designs = List.of(
                new Design("a", 10, 100),   // cheapest: on the front
                new Design("b", 20, 250),   // on the front
                new Design("c", 20, 200),   // same cost as b, slower: dominated by b
                new Design("d", 30, 240),   // dearer and slower than b: dominated
                new Design("e", 40, 400),   // on the front
                new Design("f", 40, 400),   // equal to e: neither dominates the other, both stay
                new Design("g", 50, 390));  // dominated by e
        assertThat(ParetoFront.front(designs)).containsExactly("a", "b", "e", "f");
    }

    @Test
    void bestIsTheCheapestMeetingTheTargetThenFasterThenSmallerId() {
        assertThat(ParetoFront.best(List.of(new Design("p3", 30, 500), new Design("p2", 20, 300),
                new Design("p1", 20, 350))).orElseThrow().id()).isEqualTo("p1");
        assertThat(ParetoFront.best(List.of(new Design("p9", 20, 300), new Design("p4", 20, 300)))
                .orElseThrow().id()).isEqualTo("p4");
        assertThat(ParetoFront.best(List.of())).isEmpty();
    }

    @Test
    void summaryJudgesTheTargetOnFittingPointsWithTheirHeadroom() {
        SweepSpec sweep = new SweepSpec("s", null, "base.json", SweepAxes.none(),
                new PlanTarget(1000.0, null, 20.0), java.util.Map.of("h100-sxm", 2.0, "b200", 5.0), null, null);
        SweepPoint p1 = point("p1", "h100-sxm", 1);  // 8 GPUs x 2 = 16 per hour
        SweepPoint p2 = point("p2", "h100-sxm", 2);  // 32 per hour
        SweepPoint p3 = point("p3", "b200", 1);      // 40 per hour
        SweepPoint p4 = point("p4", "h100-sxm", 4);  // 64 per hour
        java.util.Map<String, PointMetrics> metrics = java.util.Map.of(
                "p1", ok(p1, 1500, 10.0),   // fast enough, but 10% headroom < 20%
                "p2", ok(p2, 1200, 30.0),   // meets the target: the best
                "p3", ok(p3, 5000, 60.0),   // meets, dearer
                "p4", new PointMetrics(PointMetrics.DOES_NOT_FIT, "too big", p4, 1L, 1.0, 1.0, 90.0, -5.0, null,
                        null, null));
        PlanSummary s = PlanSummary.of(sweep, List.of(p1, p2, p3, p4), metrics);
        assertThat(s.best().id()).isEqualTo("p2");
        assertThat(s.best().costPerHour()).isEqualTo(32.0);
        assertThat(s.meetingCount()).isEqualTo(2);
        assertThat(s.fittingCount()).isEqualTo(3);
        // p2 is not on the front: p1 is cheaper and faster (the front ignores the headroom target)
        assertThat(s.paretoFront()).containsExactly("p1", "p3");
        assertThat(s.points()).extracting(PlanPoint::meetsTarget).containsExactly(false, true, true, false);
        assertThat(s.points().get(3).tokensPerSecond()).isNull();

        PlanSummary none = PlanSummary.of(new SweepSpec("s", null, "base.json", SweepAxes.none(),
                new PlanTarget(9000.0, null, null), java.util.Map.of("h100-sxm", 2.0, "b200", 5.0), null, null),
                List.of(p1, p2, p3, p4), metrics);
        assertThat(none.best()).isNull();
        assertThat(none.bestReason()).isEqualTo("none of the 3 fitting point(s) meets tokens/s >= 9000 and memory "
                + "headroom >= 0%; the fastest reaches 5000 tokens/s");
    }

    private static SweepPoint point(String id, String gpu, int nodes) {
        return new SweepPoint(id, Integer.parseInt(id.substring(1)), id, gpu, nodes, 8, 65536, -1, null, null, null,
                0, 1, "contiguous");
    }

    private static PointMetrics ok(SweepPoint p, double tokensPerSecond, double headroomPct) {
        return new PointMetrics(PointMetrics.OK, null, p, 1L, 1.0, 1.0, 10.0, headroomPct, 65536 / tokensPerSecond * 1e3,
                tokensPerSecond, 1.0);
    }
}
