package org.mohge.sim;

import java.util.List;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.StagePrice;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepPricer;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.sim.core.RankProgram;
import org.mohge.sim.core.RankProgramRunner;
import org.mohge.sim.core.RankProgramRunner.RankSchedule;
import org.mohge.sim.program.PipelineProgramBuilder;

/**
 * Simulates one training step under a parallel layout on the event core: one rank per pipeline
 * stage (its data-, tensor-, context- and expert-parallel peers are alike and folded into it, see
 * {@link TrainingStep#FOLDED}), each micro-batch's forward and backward chunks priced by the
 * {@link TrainingStepPricer}, sends, the data-parallel reduce and gather and the optimizer as ops
 * of a {@link RankProgram} built by the {@link PipelineProgramBuilder}. The bubble and the exposed
 * data-parallel time are read off the schedule.
 */
public final class TrainingSimulator {
    private TrainingSimulator() {
    }

    /** A simulated step: the report and the schedule it was read from (for traces). */
    public record TrainingRun(TrainingStepReport report, RankSchedule schedule) {
    }

    public static TrainingRun run(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                                  int maxNodesPerToken) {
        List<StagePrice> prices = new TrainingStepPricer(model, layout, precision, costModel, maxNodesPerToken)
                .price();
        return run(model, layout, precision, costModel, prices);
    }

    /** Simulates the step from given stage prices (tests pass hand-made ones). */
    public static TrainingRun run(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                                  List<StagePrice> prices) {
        RankProgram program = new PipelineProgramBuilder(prices, layout.vp(), layout.microBatches(),
                layout.schedule()).build();
        RankSchedule schedule = RankProgramRunner.run(program);
        Timing t = timing(schedule, prices.size());
        double maxOptimizer = 0;
        for (StagePrice s : prices) {
            maxOptimizer = Math.max(maxOptimizer, s.optimizerUs());
        }
        double stepUs = schedule.makespanNs() / 1000.0;
        double pipelineEndUs = t.pipelineEndNs / 1000.0;
        double gatherUs = t.gatherExposedNs / 1000.0;
        double dpExposed = Math.max(0, stepUs - pipelineEndUs - maxOptimizer) + gatherUs;
        // Exposed pipeline sends: how much longer the pipeline phase is than with free sends (a second run).
        double pipelineUs = pipelineEndUs - gatherUs;
        double ppExposed = 0;
        if (prices.get(0).sendUs() > 0) {
            List<StagePrice> free = prices.stream().map(TrainingSimulator::withFreeSends).toList();
            RankSchedule noSends = RankProgramRunner.run(new PipelineProgramBuilder(free, layout.vp(),
                    layout.microBatches(), layout.schedule()).build());
            Timing f = timing(noSends, free.size());
            ppExposed = Math.max(0, pipelineUs - (f.pipelineEndNs - f.gatherExposedNs) / 1000.0);
        }
        TrainingStepReport report = TrainingStep.report("simulated (event core)", model, layout, precision,
                costModel.cluster(), prices, stepUs, pipelineUs, t.busyUs, ppExposed, dpExposed);
        return new TrainingRun(report, schedule);
    }

    private static StagePrice withFreeSends(StagePrice s) {
        return new StagePrice(s.stage(), s.layers(), s.forwardUs(), s.backwardUs(), s.recomputeUs(), s.tpUs(),
                s.cpUs(), s.epUs(), 0, s.gradReduceUs(), s.paramGatherUs(), s.optimizerUs());
    }

    private record Timing(long pipelineEndNs, long gatherExposedNs, double[] busyUs) {
    }

    /** End of the last backward, longest wait on a parameter gather, compute-stream time per stage. */
    static Timing timing(RankSchedule schedule, int stages) {
        RankProgram program = schedule.program();
        long pipelineEnd = 0;
        long gatherExposed = 0;
        double[] busy = new double[stages];
        long[] lastEnd = new long[program.size()];
        for (RankProgram.RankOp op : program.ops()) {
            long start = schedule.startNs()[op.id()];
            long end = schedule.endNs()[op.id()];
            lastEnd[op.id()] = end;
            switch (op.label()) {
                case PipelineProgramBuilder.FORWARD -> busy[op.rank()] += (end - start) / 1000.0;
                case PipelineProgramBuilder.BACKWARD -> {
                    busy[op.rank()] += (end - start) / 1000.0;
                    pipelineEnd = Math.max(pipelineEnd, end);
                }
                default -> {
                    if (op.label().equals(PipelineProgramBuilder.GATE)) {
                        gatherExposed = Math.max(gatherExposed, end - lastEnd[op.deps()[0]]);
                    }
                }
            }
        }
        return new Timing(pipelineEnd, gatherExposed, busy);
    }
}
