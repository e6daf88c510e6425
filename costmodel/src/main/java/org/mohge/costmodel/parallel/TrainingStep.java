package org.mohge.costmodel.parallel;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * Everything a training-step report needs besides the pipeline's timing, and the mean-field
 * estimate of that timing. With w_s = forward + backward of stage s per micro-batch, v virtual
 * stages, m micro-batches and p stages, the pipeline phase lasts
 * {@code sum_s w_s / v + (m - 1/v) max_s w_s + 2 (p - 1) send + (m - p + 1) max(0, r - max_s w_s)}
 * with r = max over all but the last stage of w_s + 2 send: every stage's first chunk fills and
 * drains the pipeline once, the slowest stage sets the pace in between unless a gradient's round
 * trip to the next stage is slower (see {@link #steadyPairs}). For equal stages and
 * free sends the bubble share is (p - 1) / (v m + p - 1), the textbook 1F1B (v = 1) and
 * interleaved figures. The data-parallel gradient reduce of stage s overlaps its last backward and
 * whatever the stages before it still do after that; the parameter all-gather overlaps the first
 * forward; the optimizer runs when every reduce is done.
 */
public final class TrainingStep {
    /** The {@code method} of a report priced at the expected loads (no simulation). */
    public static final String MEAN_FIELD = "mean-field estimate";

    /** Which ranks are priced once: say it in every report. */
    public static final String FOLDED = "one rank per pipeline stage priced; its tp x cp x dp and ep x etp x edp "
            + "peers assumed identical (even shards)";

    private TrainingStep() {
    }

    /** {@code cost}'s estimate. */
    public static TrainingStepReport estimate(ModelSpec model, ParallelLayout layout, Precision precision,
                                              CostModel costModel, int maxNodesPerToken) {
        List<StagePrice> prices = new TrainingStepPricer(model, layout, precision, costModel, maxNodesPerToken)
                .price();
        int p = layout.pp();
        int v = layout.vp();
        int m = layout.microBatches();
        double sum = 0;
        double max = 0;
        double roundTrip = 0;
        for (StagePrice s : prices) {
            sum += s.microBatchUs();
            max = Math.max(max, s.microBatchUs());
            if (s.stage() < p - 1) {
                roundTrip = Math.max(roundTrip, s.microBatchUs() + 2 * s.sendUs());
            }
        }
        double send = prices.get(0).sendUs();
        double ppUs = 2.0 * (p - 1) * send + steadyPairs(p, m) * Math.max(0, roundTrip - max);
        double pipelineUs = sum / v + (m - 1.0 / v) * max + ppUs;
        // Reduce of stage s starts with its last backward; stages before it still run s backward chunks after.
        double reduceEnd = 0;
        double gatherExposed = 0;
        double optimizer = 0;
        double slack = 0;
        for (StagePrice s : prices) {
            double lastBackward = s.backwardUs() / v;
            reduceEnd = Math.max(reduceEnd, s.gradReduceUs() - lastBackward - slack);
            slack += lastBackward + s.sendUs();
            gatherExposed = Math.max(gatherExposed, s.paramGatherUs() - s.forwardUs() / v);
            optimizer = Math.max(optimizer, s.optimizerUs());
        }
        double dpExposed = Math.max(0, reduceEnd) + Math.max(0, gatherExposed);
        double stepUs = pipelineUs + dpExposed + optimizer;
        double[] busy = new double[p];
        for (int s = 0; s < p; s++) {
            busy[s] = m * prices.get(s).microBatchUs();
        }
        return report(MEAN_FIELD, model, layout, precision, costModel.cluster(), prices, stepUs,
                pipelineUs, busy, ppUs, dpExposed);
    }

    /**
     * Steady-state forward/backward pairs of the first stage, m - p + 1: in each, its backward of
     * micro-batch i waits for a gradient that went one stage down and back (two sends) after its
     * forward of i + p - 1, which costs time unless a slower stage sets the pace anyway.
     */
    static double steadyPairs(int p, int m) {
        return p <= 1 ? 0 : Math.max(0, m - p + 1);
    }

    /**
     * Assembles a report from a pipeline's timing: {@code pipelineUs} from the first forward to
     * the last backward, {@code busyUs[s]} stage s's compute-stream time in it.
     */
    public static TrainingStepReport report(String method, ModelSpec model, ParallelLayout layout, Precision precision,
                                            ClusterSpec cluster, List<StagePrice> prices, double stepUs,
                                            double pipelineUs, double[] busyUs, double ppExposedUs,
                                            double dpExposedUs) {
        return report(method, model, layout, precision, cluster, prices, stepUs, pipelineUs, busyUs, ppExposedUs,
                dpExposedUs, FOLDED + (model.isDense() ? "; dense model (no experts)" : "; expert loads at their expected shares"));
    }

    /** As above, with what was folded and assumed said in {@code folded}. */
    public static TrainingStepReport report(String method, ModelSpec model, ParallelLayout layout, Precision precision,
                                            ClusterSpec cluster, List<StagePrice> prices, double stepUs,
                                            double pipelineUs, double[] busyUs, double ppExposedUs,
                                            double dpExposedUs, String folded) {
        int m = layout.microBatches();
        long tokensPerStep = (long) layout.dp() * m * layout.microBatchSize() * layout.sequenceLength();
        double tokensPerSecondPerGpu = tokensPerStep / (stepUs * 1e-6) / layout.gpus();
        double flopsPerToken = 3 * FlopAccounting.trainingForwardFlopsPerToken(model, layout.sequenceLength());
        double tflops = tokensPerSecondPerGpu * flopsPerToken / 1e12;
        double mfu = tflops * 1e12 / cluster.gpu().peakFlops(precision.gemm());
        int critical = 0;
        for (int s = 0; s < busyUs.length; s++) {
            if (busyUs[s] > busyUs[critical]) {
                critical = s;
            }
        }
        double bubble = pipelineUs > 0 ? Math.max(0, 1 - busyUs[critical] / pipelineUs) : 0;
        StagePrice c = prices.get(critical);
        // fsdp's waits are per micro-batch, inside the passes; the step's dp exposure counts them too.
        ExposedComm exposed = new ExposedComm(m * c.tpUs(), m * c.cpUs(), m * c.epUs(), ppExposedUs,
                dpExposedUs + m * c.fsdpUs());
        List<StageReport> stages = new ArrayList<>();
        for (int s = 0; s < prices.size(); s++) {
            StagePrice sp = prices.get(s);
            stages.add(new StageReport(s, sp.layers(), sp.forwardUs(), sp.backwardUs(), busyUs[s],
                    pipelineUs > 0 ? Math.max(0, 1 - busyUs[s] / pipelineUs) : 0, m * sp.tpUs(), m * sp.cpUs(),
                    m * sp.epUs(), sp.gradReduceUs(),
                    sp.paramGatherUs(), sp.optimizerUs(), m * sp.hostBoundUs()));
        }
        return new TrainingStepReport(method, layout.toString(), layout.gpus(), m, tokensPerStep, stepUs,
                tokensPerSecondPerGpu, tflops, mfu, bubble, exposed, stages,
                TrainingMemory.perStage(model, layout, precision, cluster), folded);
    }
}
