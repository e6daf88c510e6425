package org.mohge.cli.fidelity;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;

/** Prints the fidelity suite as {@code mohge bench fidelity} shows it. */
public final class FidelityTable {
    private FidelityTable() {
    }

    public static void print(PrintWriter out, FidelitySuite.Result r) {
        printRuns(out, r);
        out.println("target (" + r.target() + "): " + (r.targetMet() ? "met" : "NOT met"));
        if (r.checks() != null) {
            out.println();
            out.println("Independent checks: other published runs, outside the target and never fitted (how far the "
                    + "model carries beyond the suite's rows)");
            printRuns(out, r.checks());
        }
        if (r.wholeSteps() != null && !r.wholeSteps().isEmpty()) {
            out.println();
            out.println("Whole steps per GPU and model kind, suite and checks together (what each GPU's profile states "
                    + "in wholeSteps):");
            TextTable k = new TextTable("GPU", "kind", "runs", "median |error|", "worst |error|",
                    "predicted faster than published");
            for (WholeStepSummary.Kind kind : r.wholeSteps()) {
                k.row(kind.gpu(), kind.kind(), kind.runs(), pct(kind.medianAbsErrorPct()), pct(kind.worstAbsErrorPct()),
                        kind.fasterRuns() + " of " + kind.runs());
            }
            out.print(k.render());
        }
        if (r.rankings() != null && !r.rankings().pairs().isEmpty()) {
            printRankings(out, r.rankings());
        }
        out.flush();
    }

    /** The pairs the model orders against the published figures, then the count. */
    private static void printRankings(PrintWriter out, LayoutRanking.Result rankings) {
        out.println();
        out.println(String.format(Locale.ROOT, "Rankings: runs of one model on one GPU published at least %.0f%% apart, "
                + "suite and checks together; does the model call the same one faster?", (rankings.minPublishedRatio() - 1)
                * 100));
        List<LayoutRanking.Pair> wrong = rankings.pairs().stream().filter(p -> !p.agrees()).toList();
        if (!wrong.isEmpty()) {
            TextTable t = new TextTable("GPU", "published faster", "layout", "published slower", "layout",
                    "published ratio", "predicted ratio");
            for (LayoutRanking.Pair p : wrong) {
                t.row(p.gpu(), p.faster(), p.fasterLayout(), p.slower(), p.slowerLayout(),
                        Units.fixed(p.publishedRatio(), 2), Units.fixed(p.predictedRatio(), 2));
            }
            out.print(t.render());
        }
        out.println(rankings.agreeing() + " of " + rankings.pairs().size() + " pairs ordered as published"
                + (wrong.isEmpty() ? "" : "; the " + wrong.size() + " above the other way round (predicted ratio below 1)"));
    }

    /** The runs of one reference file: errors, where the step goes, and the median and worst error. */
    private static void printRuns(PrintWriter out, FidelitySuite.Result r) {
        out.println("Published training runs re-priced by the training-step estimate of `mohge cost` (" + r.reference()
                + "); error = (predicted - published) / published");
        TextTable t = new TextTable("model", "GPUs", "precision", "layout", "tok/s/GPU published", "predicted",
                "error", "TFLOP/s/GPU published", "predicted", "error");
        for (FidelitySuite.Row row : r.rows()) {
            t.row(row.model(), row.gpus(), row.precision(), row.layout(),
                    Units.fixed(row.publishedTokensPerSecondPerGpu(), 0),
                    Units.fixed(row.predictedTokensPerSecondPerGpu(), 0), signedPct(row.tokensErrorPct()),
                    figure(row.publishedModelTflopsPerGpu(), 0), Units.fixed(row.predictedModelTflopsPerGpu(), 1),
                    row.tflopsErrorPct() == null ? "-" : signedPct(row.tflopsErrorPct()));
        }
        for (FidelitySuite.NotPriced n : r.notPriced()) {
            t.row(n.model(), n.gpus(), n.precision(), n.layout(), Units.fixed(n.publishedTokensPerSecondPerGpu(), 0),
                    "-", "-", figure(n.publishedModelTflopsPerGpu(), 0), "-", "-");
        }
        out.print(t.render());
        out.println();
        out.println("Where the predicted step time goes (critical pipeline stage, ms per step):");
        TextTable b = new TextTable("model", "published step", "predicted step", "compute", "host-bound", "exposed tp",
                "cp", "ep", "pp sends", "bubble", "dp", "optimizer", "peak GiB", "fits");
        Set<String> costModels = new LinkedHashSet<>();
        for (FidelitySuite.Row row : r.rows()) {
            FidelitySuite.StepBreakdown d = row.breakdown();
            b.row(row.model(), ms(row.publishedStepTimeMs()), ms(row.stepTimeMs()), ms(d.computeMs()), ms(d.hostMs()),
                    ms(d.tpMs()), ms(d.cpMs()), ms(d.epMs()), ms(d.ppMs()), ms(d.bubbleMs()), ms(d.dpMs()),
                    ms(d.optimizerMs()), Units.fixed(row.peakMemoryGiB(), 1), row.fits() ? "yes" : "NO");
            costModels.add(row.costModel());
        }
        out.print(b.render());
        // One line per cost model (one per GPU kind), not a wide column repeating it on every row.
        costModels.forEach(c -> out.println("priced with: " + c));
        for (FidelitySuite.Row row : r.rows()) {
            if (row.publishedGflopPerToken() != null) {
                out.println(String.format(Locale.ROOT, "%s: model GFLOP per token %.1f published (TFLOP/s over "
                        + "tokens/s), %.1f as counted here", row.model(), row.publishedGflopPerToken(),
                        row.predictedGflopPerToken()));
            }
        }
        for (FidelitySuite.NotPriced n : r.notPriced()) {
            out.println("not priced: " + n.model() + ": " + n.reason());
        }
        out.println();
        out.println(String.format(Locale.ROOT, "%d of %d runs priced; |error| of tokens/s/GPU: median %.1f%%, worst "
                        + "%.1f%%; of model TFLOP/s/GPU: median %.1f%%, worst %.1f%%", r.rows().size(),
                r.rows().size() + r.notPriced().size(), r.medianAbsTokensErrorPct(), r.maxAbsTokensErrorPct(),
                r.medianAbsTflopsErrorPct(), r.maxAbsTflopsErrorPct()));
    }

    private static String figure(Double value, int decimals) {
        return value == null ? "-" : Units.fixed(value, decimals);
    }

    private static String pct(double pct) {
        return String.format(Locale.ROOT, "%.1f%%", pct);
    }

    private static String signedPct(double pct) {
        return String.format(Locale.ROOT, "%+.1f%%", pct);
    }

    private static String ms(double value) {
        return Units.fixed(value, 1);
    }
}
