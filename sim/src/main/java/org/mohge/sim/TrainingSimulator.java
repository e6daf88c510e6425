package org.mohge.sim;

import java.util.List;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.StepStage;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.StagePrice;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepPricer;
import org.mohge.costmodel.parallel.TrainingStepReport;
import org.mohge.sim.core.RankProgram;
import org.mohge.sim.core.RankProgramRunner.RankSchedule;
import org.mohge.sim.core.RankProgramRunner;
import org.mohge.sim.program.PipelineProgramBuilder;
import org.mohge.sim.routing.Multinomial;
import org.mohge.sim.routing.RoutingModel;

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

    /**
     * Simulates the step with expert loads drawn from {@code routing}: per pipeline stage, micro-batch
     * and MoE layer, the EP group's routed copies are drawn (multinomial over the experts at the
     * layer's expected inclusion) and the layer's expert GEMMs take as long as on the most loaded EP
     * rank (time proportional to its copies), so stragglers lengthen that chunk's forward and twice
     * its backward. A dense model has no expert loads to draw: {@code routing} is then ignored (may be null).
     */
    public static TrainingRun run(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                                  int maxNodesPerToken, RoutingModel routing, long seed) {
        TrainingStepPricer pricer = new TrainingStepPricer(model, layout, precision, costModel, maxNodesPerToken);
        List<StagePrice> prices = pricer.price();
        if (model.isDense()) {
            return run(model, layout, precision, costModel, prices, null, TrainingStep.FOLDED + "; dense model (no experts)");
        }
        Stragglers stragglers = stragglers(model, layout, routing, pricer.expertsForwardUs(),
                pricer.moeTokensPerRank(), seed);
        String folded = TrainingStep.FOLDED + "; expert loads drawn per stage, micro-batch and MoE layer from the "
                + "routing model: the busiest EP rank took on average "
                + String.format(java.util.Locale.ROOT, "%.3f", stragglers.meanFactor) + "x the mean";
        return run(model, layout, precision, costModel, prices, stragglers.extraForwardUs, folded);
    }

    /** Simulates the step from given stage prices (tests pass hand-made ones). */
    public static TrainingRun run(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                                  List<StagePrice> prices) {
        return run(model, layout, precision, costModel, prices, null, TrainingStep.FOLDED
                + (model.isDense() ? "; dense model (no experts)" : "; expert loads at their expected shares"));
    }

    record Stragglers(double[][][] extraForwardUs, double meanFactor) {
    }

    /** Extra forward time of each chunk of each stage and micro-batch: the busiest EP rank's excess. */
    static Stragglers stragglers(ModelSpec model, ParallelLayout layout, RoutingModel routing, double expertsUs,
                                 double moeTokens, long seed) {
        int p = layout.pp();
        int v = layout.vp();
        int m = layout.microBatches();
        int ep = layout.ep();
        int experts = model.moe().expertCount();
        int perRank = experts / ep;
        int k = model.moe().routedExpertsPerToken();
        long copies = Math.round(ep * moeTokens * k / layout.etp());
        double[][][] extra = new double[p][v][m];
        if (ep == 1 || copies == 0) {
            return new Stragglers(extra, 1);
        }
        double[][] probabilities = new double[model.moeLayers()][];
        for (int l = 0; l < model.moeLayers(); l++) {
            double[] pi = routing.expectedInclusion(l);
            double sum = 0;
            for (double x : pi) {
                sum += x;
            }
            probabilities[l] = new double[experts];
            for (int e = 0; e < experts; e++) {
                probabilities[l][e] = pi[e] / sum;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] counts = new double[experts];
        double factorSum = 0;
        long draws = 0;
        for (int s = 0; s < p; s++) {
            int first = layout.firstLayerOf(s);
            int n = layout.layersOf(s);
            for (int c = 0; c < v; c++) {
                for (int mb = 0; mb < m; mb++) {
                    // Chunk c holds layers [c n / v, (c + 1) n / v) of the stage (uneven when n % v != 0).
                    for (int l = first + c * n / v; l < first + (c + 1) * n / v; l++) {
                        if (l < model.denseLayers()) {
                            continue;
                        }
                        java.util.Arrays.fill(counts, 0);
                        Multinomial.sample(rng, copies, probabilities[l - model.denseLayers()], counts, 0);
                        double max = 0;
                        for (int r = 0; r < ep; r++) {
                            double load = 0;
                            for (int e = r * perRank; e < (r + 1) * perRank; e++) {
                                load += counts[e];
                            }
                            max = Math.max(max, load);
                        }
                        double factor = max / ((double) copies / ep);
                        extra[s][c][mb] += expertsUs * (factor - 1);
                        factorSum += factor;
                        draws++;
                    }
                }
            }
        }
        return new Stragglers(extra, draws > 0 ? factorSum / draws : 1);
    }

    private static TrainingRun run(ModelSpec model, ParallelLayout layout, Precision precision, CostModel costModel,
                                   List<StagePrice> prices, double[][][] extraForwardUs, String folded) {
        RankProgram program = new PipelineProgramBuilder(prices, layout.vp(), layout.microBatches(),
                layout.schedule(), extraForwardUs).build();
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
                    layout.microBatches(), layout.schedule(), extraForwardUs).build());
            Timing f = timing(noSends, free.size());
            ppExposed = Math.max(0, pipelineUs - (f.pipelineEndNs - f.gatherExposedNs) / 1000.0);
        }
        TrainingStepReport report = TrainingStep.report("simulated (event core)", model, layout, precision,
                costModel.cluster(), prices, stepUs, pipelineUs, t.busyUs, ppExposed, dpExposed, folded);
        return new TrainingRun(report, schedule);
    }

    private static StagePrice withFreeSends(StagePrice s) {
        return new StagePrice(s.stage(), s.layers(), s.forwardUs(), s.backwardUs(), s.recomputeUs(), s.tpUs(),
                s.cpUs(), s.epUs(), 0, s.gradReduceUs(), s.paramGatherUs(), s.optimizerUs(), s.hostBoundUs(),
                s.fsdpUs());
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
                case PIPELINE_FORWARD -> busy[op.rank()] += (end - start) / 1000.0;
                case PIPELINE_BACKWARD -> {
                    busy[op.rank()] += (end - start) / 1000.0;
                    pipelineEnd = Math.max(pipelineEnd, end);
                }
                default -> {
                    if (op.label() == StepStage.GATHER_GATE) {
                        gatherExposed = Math.max(gatherExposed, end - lastEnd[op.deps()[0]]);
                    }
                }
            }
        }
        return new Timing(pipelineEnd, gatherExposed, busy);
    }
}
