package org.mohge.cli.plan;

import java.util.List;
import java.util.Locale;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.TrainingRuns;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.RankMemory;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.sim.TrainingSimulator;

/**
 * Evaluates one point of a training sweep: the base scenario with the point's cluster and
 * parallel layout, validated as a scenario (an impossible layout is {@code invalid} with the key
 * and rule it breaks), memory per rank checked (a rank over capacity is {@code does-not-fit},
 * naming the stage), then the step simulated as {@code mohge simulate} does. Tokens/s is the
 * whole job's; imbalance is the busiest EP rank's mean load factor where experts are drawn.
 */
final class TrainingPointEvaluator {
    private static final double GIB = 1L << 30;

    private TrainingPointEvaluator() {
    }

    static PointMetrics evaluate(PlanContext ctx, SweepPoint p) {
        ScenarioSpec s;
        try {
            s = scenarioOf(ctx.base(), PointEvaluator.clusterOf(ctx.base(), p), p.parallel());
        } catch (SpecViolation e) {
            return new PointMetrics(PointMetrics.INVALID, e.getMessage(), p, null, null, null, null, null, null, null,
                    null);
        }
        ParamReport params = ParamAccounting.count(s.model());
        Double ratio = null;
        if (!s.model().isDense()) {
            List<ExpertGroup> sizes = s.model().moe().sizeClasses();
            ratio = (double) sizes.stream().mapToInt(ExpertGroup::expertHidden).max().orElse(1)
                    / sizes.stream().mapToInt(ExpertGroup::expertHidden).min().orElse(1);
        }
        TrainingSimulator.TrainingRun run = TrainingRuns.simulate(s, ctx.baseFile(),
                CostModels.forScenario(s, ctx.baseFile()));
        TrainingStepReport r = run.report();
        RankMemory peak = r.peakMemory();
        double peakGiB = peak.totalBytes() / GIB;
        double headroomPct = r.memory().stream()
                .mapToDouble(m -> (m.capacityBytes() - m.totalBytes()) / m.capacityBytes()).min().orElse(0) * 100;
        if (!r.memory().stream().allMatch(RankMemory::fits)) {
            return new PointMetrics(PointMetrics.DOES_NOT_FIT, String.format(Locale.ROOT, "pipeline stage %d needs "
                    + "%.1f GiB per rank, over the %s's %.1f GiB", peak.stage(), peakGiB, s.cluster().gpu().name(),
                    peak.capacityBytes() / GIB), p, params.totalParams(), params.activatedParams(), ratio, peakGiB,
                    headroomPct, null, null, null);
        }
        return new PointMetrics(PointMetrics.OK, null, p, params.totalParams(), params.activatedParams(), ratio,
                peakGiB, headroomPct, r.stepTimeUs() / 1e3, r.tokensPerSecondPerGpu() * r.gpus(), null);
    }

    /**
     * The base with the point's cluster and layout. Sequence parallelism follows the base where tp > 1
     * (it needs a tensor-parallel group); the schedule is derived (interleaved exactly when vp > 1).
     */
    static ScenarioSpec scenarioOf(ScenarioSpec base, ClusterSpec cluster, LayoutPoint l) {
        ParallelismSpec b = base.parallelism();
        ParallelismSpec parallelism = new ParallelismSpec(l.tp(), l.pp(), l.vp(), b.cp(), l.ep(), b.etp(),
                b.sequenceParallel() && l.tp() > 1, b.distributedOptimizer(), b.fsdp(), b.firstStageLayers(),
                b.lastStageLayers(), b.embeddingInPipelineSplit(), b.lossInPipelineSplit(), b.dispatcher(),
                b.epOverlap(), b.commSms());
        TrainingSpec t = base.training();
        TrainingSpec training = new TrainingSpec(t.globalBatchSize(), l.microBatchSize(), t.sequenceLength(),
                l.recompute(), null);
        return new ScenarioSpec(base.name(), base.seed(), base.model(), cluster, null, base.routing(),
                base.placement(), base.output(), base.simulation(), base.calibration(), null, parallelism, training,
                base.precision());
    }
}
