package org.mohge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.PrecisionSpec;
import org.mohge.costmodel.parallel.StagePrice;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.costmodel.parallel.TrainingStepReport;

/** Pipeline bubbles that fall out of the event timing, against the schedules' textbook figures. */
class PipelineBubbleTest {
    static final ModelSpec MODEL = new ModelSpec(8, 8, 0, 0, 10, false, DType.BF16, new GqaAttention(2, 1, 4),
            new UniformMoe(4, 16, 2, 0, 0, Activation.SWIGLU));
    static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 4);
    static final Precision BF16 = new PrecisionSpec(PrecisionRecipe.BF16, null, null, null, null, null, null, null)
            .resolve();

    static List<StagePrice> equalStages(int p, double forwardUs, double backwardUs) {
        List<StagePrice> out = new ArrayList<>();
        for (int s = 0; s < p; s++) {
            out.add(new StagePrice(s, 2, forwardUs, backwardUs, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return out;
    }

    static ParallelLayout layout(int vp, int globalBatch) {
        return ParallelLayout.of(new ParallelismSpec(1, 4, vp, 1, 1, 1, null, null, null, null, null),
                new TrainingSpec(globalBatch, 1, 16, null, null), MODEL, CLUSTER);
    }

    @Test
    void oneFOneBBubbleIsPMinusOneOverMPlusPMinusOne() {
        // p = 4 stages, m = 8 micro-batches, forward 1 ms, backward 2 ms per stage and micro-batch:
        // step (m + p - 1)(f + b) = 11 x 3 ms = 33 ms, bubble (p - 1) / (m + p - 1) = 3/11.
        TrainingStepReport r = TrainingSimulator.run(MODEL, layout(1, 8), BF16, new AnalyticalCostModel(CLUSTER),
                equalStages(4, 1000, 2000)).report();
        assertThat(r.stepTimeUs()).isCloseTo(33_000, within(1e-6));
        assertThat(r.bubbleShare()).isCloseTo(3.0 / 11, within(1e-9));
    }

    @Test
    void interleavedBubbleShrinksByTheVirtualStages() {
        // p = 4, v = 2, m = 8: chunks of 0.5 ms forward, 1 ms backward. The fill and drain cost
        // (p - 1)(f + b) / v = 4.5 ms on top of m (f + b) = 24 ms: bubble (p - 1) / (v m + p - 1) = 3/19.
        TrainingStepReport r = TrainingSimulator.run(MODEL, layout(2, 8), BF16, new AnalyticalCostModel(CLUSTER),
                equalStages(4, 1000, 2000)).report();
        assertThat(r.stepTimeUs()).isCloseTo(28_500, within(0.03 * 28_500));
        assertThat(r.bubbleShare()).isCloseTo(3.0 / 19, within(0.02));
    }

    @Test
    void sendsLengthenFillAndDrain() {
        // 1F1B, p = 4, m = 8, f = 1 ms, b = 2 ms, each send 0.1 ms. Fill and drain cross 2 (p - 1) = 6 sends;
        // in the steady state the first stage's backward of micro-batch i waits for the gradient that
        // went down and back up one stage after its forward of i + p - 1, 2 sends per pair, for
        // m - p + 1 = 5 pairs: 33 ms + 6 x 0.1 ms + 5 x 0.2 ms = 34.6 ms.
        List<StagePrice> prices = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            prices.add(new StagePrice(s, 2, 1000, 2000, 0, 0, 0, 0, 100, 0, 0, 0));
        }
        TrainingStepReport r = TrainingSimulator.run(MODEL, layout(1, 8), BF16, new AnalyticalCostModel(CLUSTER),
                prices).report();
        assertThat(r.stepTimeUs()).isCloseTo(34_600, within(1e-6));
    }

    @Test
    void traceHasOneProcessPerStageAndEveryChunk() throws Exception {
        var run = TrainingSimulator.run(MODEL, layout(1, 8), BF16, new AnalyticalCostModel(CLUSTER),
                equalStages(4, 1000, 2000));
        var out = new java.io.ByteArrayOutputStream();
        org.mohge.sim.trace.PipelineTraceWriter.write(run.schedule(), out);
        var events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray()).get("traceEvents");
        int processes = 0;
        int chunks = 0;
        for (var e : events) {
            if (e.get("name").asText().equals("process_name")) {
                processes++;
            }
            if (e.get("ph").asText().equals("X") && e.get("name").asText().matches("(forward|backward) mb\\d+")) {
                chunks++;
            }
        }
        // 4 stages; 8 micro-batches x forward and backward on each.
        assertThat(processes).isEqualTo(4);
        assertThat(chunks).isEqualTo(4 * 8 * 2);
    }
}
