package org.mohge.cli.command;

import java.io.PrintWriter;
import java.util.Locale;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.parallel.ExposedComm;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.RankMemory;
import org.mohge.costmodel.parallel.StageReport;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepReport;

/** Prints a training step under a parallel layout, as {@code cost} and {@code simulate} report it. */
final class TrainingStepOutput {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private TrainingStepOutput() {
    }

    /** The JSON document of {@code cost --json} / {@code simulate --json} for a training scenario. */
    public record TrainingJson(String scenario, String costModel, String gpu, Precision precision,
                               int maxNodesPerToken, TrainingStepReport step) {
    }

    static void print(PrintWriter out, ScenarioSpec s, String costModel, TrainingStepReport r, boolean json) {
        if (json) {
            JsonOutput.print(out, new TrainingJson(s.name(), costModel, s.cluster().gpu().name(),
                    s.resolvedPrecision(), s.routing().maxNodesPerToken(), r));
            return;
        }
        Precision p = s.resolvedPrecision();
        out.println("Training step of " + s.name() + " (" + r.method() + "): " + s.cluster().nodes() + " x "
                + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name() + ", " + r.layout() + ", "
                + s.layout().schedule().label() + ", recompute " + s.layout().recompute().label());
        out.println("cost model: " + costModel);
        out.println("precision: " + p.recipe().label() + " (gemm " + p.gemm().label() + ", attention "
                + p.attention().label() + ", dispatch " + p.dispatch().label() + ", combine " + p.combine().label()
                + ", params " + p.params().label() + ", grads " + p.grads().label() + ", optimizer state "
                + p.optimizerState().label() + ")" + (s.routing().maxNodesPerToken() > 0
                ? "; at most " + s.routing().maxNodesPerToken() + " nodes per token" : ""));
        out.println(Units.count(r.tokensPerStep()) + " tokens per step, " + r.microBatches()
                + " micro-batches per pipeline");
        out.println("folded: " + r.folded());
        out.println();
        out.println("step time: " + Units.fixed(r.stepTimeUs() / 1e3, 1) + " ms");
        out.println("tokens/s/GPU: " + Units.fixed(r.tokensPerSecondPerGpu(), 0));
        out.println("model TFLOP/s/GPU: " + Units.fixed(r.modelTflopsPerGpu(), 1) + " (MFU "
                + Units.percent(r.mfu()) + " of the dense " + p.gemm().label() + " peak)");
        out.println("pipeline bubble: " + Units.percent(r.bubbleShare()));
        ExposedComm e = r.exposed();
        out.println(String.format(Locale.ROOT, "exposed communication per step (ms): tp %.1f, cp %.1f, ep %.1f, "
                + "pp %.1f, dp %.1f", e.tpUs() / 1e3, e.cpUs() / 1e3, e.epUs() / 1e3, e.ppUs() / 1e3, e.dpUs() / 1e3));
        out.println();
        out.println("Per pipeline stage (one rank; forward/backward per micro-batch):");
        if (!r.method().equals(TrainingStep.MEAN_FIELD)) {
            // The DES draws each micro-batch's expert loads; the per-pass columns stay the expected ones.
            out.println("(fwd, bwd, tp, ep and host ms are the passes at the expected expert loads; busy and idle are "
                    + "what the simulation ran, with the drawn loads)");
        }
        TextTable stages = new TextTable("stage", "layers", "fwd ms", "bwd ms", "busy ms", "idle", "tp ms", "ep ms",
                "host ms", "grad reduce ms", "param gather ms", "optimizer ms", "memory GiB", "of");
        for (StageReport st : r.stages()) {
            RankMemory m = r.memory().get(st.stage());
            stages.row(st.stage(), st.layers(), Units.fixed(st.forwardUs() / 1e3, 2),
                    Units.fixed(st.backwardUs() / 1e3, 2), Units.fixed(st.busyUs() / 1e3, 1),
                    Units.percent(st.idleShare()), Units.fixed(st.tpUs() / 1e3, 1), Units.fixed(st.epUs() / 1e3, 1),
                    Units.fixed(st.hostBoundUs() / 1e3, 1), Units.fixed(st.gradReduceUs() / 1e3, 1),
                    Units.fixed(st.paramGatherUs() / 1e3, 1), Units.fixed(st.optimizerUs() / 1e3, 1),
                    Units.gib(m.totalBytes()), Units.gib(m.capacityBytes()));
        }
        out.print(stages.render());
        out.println();
        out.println("Memory per rank (GiB):");
        TextTable mem = new TextTable("stage", "weights", "grads", "optimizer", "activations", "micro-batches held",
                "total", "fits");
        for (RankMemory m : r.memory()) {
            mem.row(m.stage(), Units.gib(m.weightBytes()), Units.gib(m.gradientBytes()), Units.gib(m.optimizerBytes()),
                    Units.gib(m.activationBytes()), Units.fixed(m.inFlightMicroBatches(), 1), Units.gib(m.totalBytes()),
                    m.fits() ? "yes" : "NO");
        }
        out.print(mem.render());
        long over = r.memory().stream().filter(m -> !m.fits()).count();
        if (over > 0) {
            out.println("WARNING: " + over + " of " + r.memory().size() + " stages exceed their GPUs' memory");
        }
        out.flush();
    }

    /** Refuses to simulate a layout that overfills a rank, naming the stage and what fills it. */
    static void requireFits(ScenarioSpec s, TrainingStepReport r, java.nio.file.Path file) {
        for (RankMemory m : r.memory()) {
            if (!m.fits()) {
                throw new ScenarioException(String.format(Locale.ROOT, "%s: parallelism needs %.1f GiB per GPU on "
                        + "pipeline stage %d (weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f), more "
                        + "than its %.1f GiB (--no-memory-check simulates anyway)", file, m.totalBytes() / GIB,
                        m.stage(), m.weightBytes() / GIB, m.gradientBytes() / GIB, m.optimizerBytes() / GIB,
                        m.activationBytes() / GIB, m.capacityBytes() / GIB));
            }
        }
    }
}
