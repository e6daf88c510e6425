package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.ExpertGroup;

/** Points are the cross product of the axes in a fixed order, the last axis varying fastest. */
class PlanPointsTest {
    @TempDir
    Path dir;

    @Test
    void crossProductCountOrderAndIds() throws Exception {
        Path file = PlanFixtures.tinySweep(dir);
        List<SweepPoint> points = PlanRunner.load(file).points();
        // 2 GPUs x 1 node count x 2 GPUs-per-node x 3 placements
        assertThat(points).hasSize(12);
        assertThat(points).extracting(SweepPoint::id).containsExactly("p0001", "p0002", "p0003", "p0004", "p0005",
                "p0006", "p0007", "p0008", "p0009", "p0010", "p0011", "p0012");
        assertThat(points).extracting(SweepPoint::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        // gpu is the slowest axis, placement the fastest
        assertThat(points.get(0)).extracting(SweepPoint::gpu, SweepPoint::gpusPerNode, SweepPoint::placement)
                .containsExactly("h100-sxm", 2, "contiguous");
        assertThat(points.get(1)).extracting(SweepPoint::gpu, SweepPoint::gpusPerNode, SweepPoint::placement)
                .containsExactly("h100-sxm", 2, "group-decoupled");
        assertThat(points.get(3)).extracting(SweepPoint::gpu, SweepPoint::gpusPerNode, SweepPoint::placement)
                .containsExactly("h100-sxm", 4, "contiguous");
        assertThat(points.get(6)).extracting(SweepPoint::gpu, SweepPoint::gpusPerNode, SweepPoint::placement)
                .containsExactly("b200", 2, "contiguous");
        // values not on an axis come from the base scenario (1 node, 2048 tokens, its groups and top-k)
        SweepPoint p = points.get(11);
        assertThat(p.nodes()).isEqualTo(1);
        assertThat(p.tokensPerStep()).isEqualTo(2048);
        assertThat(p.layout()).isEqualTo(-1);
        assertThat(p.groups()).containsExactly(new ExpertGroup(64, 8), new ExpertGroup(128, 8),
                new ExpertGroup(256, 8));
        assertThat(p.topGroups()).isEqualTo(2);
        assertThat(p.groupBias()).isEqualTo(0.5);
        assertThat(p.label()).isEqualTo("b200 1x4, greedy");
        assertThat(PlanRunner.load(file).points()).isEqualTo(points);
    }

    @Test
    void layoutsAndTopKMultiplyAndAnImpossibleCombinationIsRecordedAsInvalid() throws Exception {
        Path file = PlanFixtures.sweep(dir, "{\"groups\": [[{\"expertHidden\": 64, \"experts\": 8}, "
                        + "{\"expertHidden\": 256, \"experts\": 8}], [{\"expertHidden\": 64, \"experts\": 8}, "
                        + "{\"expertHidden\": 128, \"experts\": 8}, {\"expertHidden\": 256, \"experts\": 8}]], "
                        + "\"topGroups\": [2, 3]}",
                "{\"minTokensPerSecond\": 1}", "{\"h100-sxm\": 2}");
        PlanRunner.Sweep sweep = PlanRunner.load(file);
        assertThat(sweep.points()).hasSize(4);
        assertThat(sweep.points()).extracting(SweepPoint::layout, SweepPoint::topGroups)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 2), org.assertj.core.groups.Tuple.tuple(0, 3),
                        org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(1, 3));
        assertThat(sweep.points().get(2).label()).isEqualTo("h100-sxm 1x4, layout 1 (64..256), top 2x2, contiguous");
        // 3 top groups out of a 2-group layout is no valid model: recorded, not simulated
        PointMetrics m = PointEvaluator.evaluate(sweep.context(), sweep.points().get(1));
        assertThat(m.status()).isEqualTo(PointMetrics.INVALID);
        assertThat(m.reason()).contains("topGroups must be <= the number of groups (2), got 3");
        assertThat(m.tokensPerSecond()).isNull();
        // largest/smallest expert of layout 1: 256 / 64
        PointMetrics ok = PointEvaluator.evaluate(sweep.context(), sweep.points().get(3));
        assertThat(ok.status()).isEqualTo(PointMetrics.OK);
        assertThat(ok.expertSizeRatio()).isEqualTo(4.0);
    }
}
