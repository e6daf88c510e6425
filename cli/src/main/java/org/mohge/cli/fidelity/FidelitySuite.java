package org.mohge.cli.fidelity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.StrictJson;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.parallel.ExposedComm;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.RankMemory;
import org.mohge.costmodel.parallel.StageReport;
import org.mohge.costmodel.parallel.TrainingStep;
import org.mohge.costmodel.parallel.TrainingStepReport;

/**
 * Re-prices published whole training steps and says how far off the prediction is. The runs are
 * listed in a reference file ({@code scenarios/published/reference.json}); each names a scenario
 * that is priced exactly as {@code mohge cost} prices a training scenario (its cost model from
 * {@link CostModels#forScenario}, the step from {@link TrainingStep#estimate}). Error is
 * (predicted - published) / published, in %. Nothing here is fitted to the runs.
 */
public final class FidelitySuite {
    /** The file in a suite folder that lists the published runs. */
    public static final String REFERENCE_FILE = "reference.json";
    /** The sub-folder of a suite with independent published runs (not in the target, never fitted). */
    public static final String CHECKS_DIR = "checks";
    /** Issue 14's target for the suite. */
    public static final double ROW_TARGET_PCT = 20;
    public static final double MEDIAN_TARGET_PCT = 10;
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** The table's precision names and the recipes they are (FP8-CS: current, per-tensor scaling). */
    private static final Map<String, PrecisionRecipe> RECIPES = Map.of(
            "BF16", PrecisionRecipe.BF16, "FP8-CS", PrecisionRecipe.FP8_TENSORWISE,
            "FP8-MX", PrecisionRecipe.MXFP8, "FP8-DS", PrecisionRecipe.FP8_BLOCKWISE);
    private static final Pattern LAYOUT_TOKEN = Pattern.compile("(TP|PP|VP|CP|EP)(\\d+)");

    private FidelitySuite() {
    }

    /**
     * Where the predicted step time goes on the critical pipeline stage (the busiest one, as the
     * report picks it), in ms per step: its compute stream net of the exchanges it waits on and of
     * the time it waits for the host to issue kernels ({@code hostMs}), the
     * exposed tensor-, context- and expert-parallel exchanges, the pipeline sends on the fill and
     * drain path, the rest of its idle time in the pipeline phase (the bubble), the exposed
     * data-parallel gradient reduce / parameter gather, and the optimizer. {@code otherMs} is what
     * the step time holds beyond these (zero for the mean-field estimate).
     */
    public record StepBreakdown(double computeMs, double hostMs, double tpMs, double cpMs, double epMs, double ppMs,
                                double bubbleMs, double dpMs, double optimizerMs, double otherMs) {

        static StepBreakdown of(TrainingStepReport r) {
            StageReport critical = r.stages().get(0);
            double optimizerUs = 0;
            for (StageReport s : r.stages()) {
                if (s.busyUs() > critical.busyUs()) {
                    critical = s;
                }
                optimizerUs = Math.max(optimizerUs, s.optimizerUs());
            }
            ExposedComm e = r.exposed();
            double busyUs = critical.busyUs();
            double computeUs = busyUs - critical.hostBoundUs() - e.tpUs() - e.cpUs() - e.epUs();
            // bubbleShare is the critical stage's idle share of the pipeline phase.
            double pipelineUs = r.bubbleShare() < 1 ? busyUs / (1 - r.bubbleShare()) : busyUs;
            double bubbleUs = Math.max(0, pipelineUs - busyUs - e.ppUs());
            double otherUs = r.stepTimeUs() - pipelineUs - e.dpUs() - optimizerUs;
            return new StepBreakdown(computeUs / 1e3, critical.hostBoundUs() / 1e3, e.tpUs() / 1e3, e.cpUs() / 1e3, e.epUs() / 1e3,
                    e.ppUs() / 1e3, bubbleUs / 1e3, e.dpUs() / 1e3, optimizerUs / 1e3, otherUs / 1e3);
        }
    }

    /**
     * One published run and its prediction. {@code publishedStepTimeMs} is the step the published
     * tokens/s/GPU implies for the same tokens per step; the model GFLOP per token, published
     * (model TFLOP/s over tokens/s) and as this tool counts it, tell a disagreement in FLOP
     * accounting apart from one in speed. {@code peakMemoryGiB} is the fullest rank as the
     * training step's memory model counts it, {@code fits} whether every rank fits its GPU: a run
     * that ran but does not fit here points at the memory model or at an unpublished setting.
     * {@code gpu} is the cluster's GPU, {@code moe} whether the model has MoE layers;
     * {@code modelSpec} the scenario's model, which tells runs of the same model apart for
     * {@link LayoutRanking} (not part of the JSON).
     */
    public record Row(String model, String scenario, String gpu, boolean moe, int gpus, String precision,
                      String layout, String costModel,
                      double publishedTokensPerSecondPerGpu, double predictedTokensPerSecondPerGpu,
                      double tokensErrorPct, Double publishedModelTflopsPerGpu, double predictedModelTflopsPerGpu,
                      Double tflopsErrorPct, long tokensPerStep, double publishedStepTimeMs, double stepTimeMs,
                      Double publishedGflopPerToken, double predictedGflopPerToken, StepBreakdown breakdown,
                      double peakMemoryGiB, double memoryCapacityGiB, boolean fits, String source,
                      String modelConfig, @JsonIgnore ModelSpec modelSpec) {
    }

    /** A published run the scenario format cannot express, and why. */
    public record NotPriced(String model, int gpus, String precision, String layout,
                            double publishedTokensPerSecondPerGpu, Double publishedModelTflopsPerGpu, String reason,
                            String source, String modelConfig) {
    }

    /**
     * The suite: every row, the runs not priced, and the median and worst absolute error of
     * tokens/s/GPU and of model TFLOP/s/GPU over the priced rows. {@code targetMet}: every run
     * priced, each within {@link #ROW_TARGET_PCT}% and the median within {@link #MEDIAN_TARGET_PCT}%.
     * {@code wholeSteps} and {@code rankings} (suite and checks together) only on the suite's result.
     */
    public record Result(String reference, List<Row> rows, List<NotPriced> notPriced,
                         double medianAbsTokensErrorPct, double maxAbsTokensErrorPct,
                         double medianAbsTflopsErrorPct, double maxAbsTflopsErrorPct, boolean targetMet,
                         String target, Result checks, List<WholeStepSummary.Kind> wholeSteps,
                         LayoutRanking.Result rankings) {
        public Result {
            rows = List.copyOf(rows);
            notPriced = List.copyOf(notPriced);
            wholeSteps = wholeSteps == null ? null : List.copyOf(wholeSteps);
        }
    }

    /**
     * Reads the reference file of {@code suiteDir} and prices every run it lists; where the folder
     * has a {@code checks} sub-folder with its own reference file, prices those runs too as
     * {@link Result#checks}: independent published runs, outside the target and never fitted; and
     * sums both up per GPU and model kind ({@link Result#wholeSteps}) and ranks the runs of each
     * model against each other ({@link Result#rankings}).
     */
    public static Result run(Path suiteDir) {
        Path checksFile = suiteDir.resolve(CHECKS_DIR).resolve(REFERENCE_FILE);
        Result checks = java.nio.file.Files.isRegularFile(checksFile) ? runReference(checksFile, false, null) : null;
        return runReference(suiteDir.resolve(REFERENCE_FILE), true, checks);
    }

    /**
     * The runs of one reference file; {@code target}: whether issue 14's target applies to them (the
     * suite, which also sums itself and its {@code checks} up per GPU and kind), not to checks.
     */
    private static Result runReference(Path reference, boolean target, Result checks) {
        PublishedRun[] runs = StrictJson.read(reference, PublishedRun[].class);
        if (runs.length == 0) {
            throw new ScenarioException(reference + ": lists no published runs; give at least one");
        }
        List<Row> rows = new ArrayList<>();
        List<NotPriced> notPriced = new ArrayList<>();
        for (PublishedRun run : runs) {
            if (!run.priced()) {
                notPriced.add(new NotPriced(run.model(), run.gpus(), run.precision(), run.layout(),
                        run.tokensPerSecondPerGpu(), run.modelTflopsPerGpu(), run.notExpressible(), run.source(),
                        run.modelConfig()));
                continue;
            }
            rows.add(price(reference, run));
        }
        double[] tokens = rows.stream().mapToDouble(r -> Math.abs(r.tokensErrorPct())).toArray();
        double[] tflops = rows.stream().filter(r -> r.tflopsErrorPct() != null)
                .mapToDouble(r -> Math.abs(r.tflopsErrorPct())).toArray();
        double medianTokens = CalibrationFitter.median(tokens);
        double maxTokens = Arrays.stream(tokens).max().orElse(Double.NaN);
        boolean met = target && notPriced.isEmpty() && !rows.isEmpty() && maxTokens <= ROW_TARGET_PCT
                && medianTokens <= MEDIAN_TARGET_PCT;
        String targetText = target ? "every run priced, each tokens/s/GPU within " + (int) ROW_TARGET_PCT
                + "%, median within " + (int) MEDIAN_TARGET_PCT + "% (issue 14)"
                : "none: independent checks, outside issue 14's target";
        List<WholeStepSummary.Kind> wholeSteps = null;
        LayoutRanking.Result rankings = null;
        if (target) {
            List<Row> all = new ArrayList<>(rows);
            if (checks != null) {
                all.addAll(checks.rows());
            }
            wholeSteps = WholeStepSummary.of(all);
            rankings = LayoutRanking.of(all);
        }
        return new Result(reference.toString(), rows, notPriced, medianTokens, maxTokens, CalibrationFitter.median(tflops),
                Arrays.stream(tflops).max().orElse(Double.NaN), met, targetText, checks, wholeSteps, rankings);
    }

    /** Prices one run's scenario the way {@code mohge cost} prices a training scenario. */
    static Row price(Path reference, PublishedRun run) {
        Path file = reference.resolveSibling(run.scenario());
        ScenarioSpec s = ScenarioLoader.load(file);
        if (!s.hasLayout()) {
            throw new ScenarioException(file + ": a published run needs a training section (the whole step is priced)");
        }
        ParallelLayout layout = s.layout();
        requireSame(file, "the cluster's GPU count", run.gpus(), layout.gpus());
        requireSame(file, "training.globalBatchSize", run.globalBatchSize(), s.training().globalBatchSize());
        requireSame(file, "training.microBatchSize", run.microBatchSize(), s.training().microBatchSize());
        requireSame(file, "training.sequenceLength", run.sequenceLength(), s.training().sequenceLength());
        requireLayout(file, run.layout(), layout);
        PrecisionRecipe recipe = RECIPES.get(run.precision());
        if (recipe == null) {
            throw new ScenarioException(reference + ": precision '" + run.precision() + "' of " + run.model()
                    + " is none of " + RECIPES.keySet());
        }
        if (s.resolvedPrecision().recipe() != recipe) {
            throw new ScenarioException(file + ": precision.recipe is " + s.resolvedPrecision().recipe().label()
                    + " but the published run used " + run.precision() + " (" + recipe.label() + ")");
        }
        CostModel costModel = CostModels.forScenario(s, file);
        TrainingStepReport r = TrainingStep.estimate(s.model(), layout, s.resolvedPrecision(), costModel,
                s.routing().maxNodesPerToken());
        Double publishedTflops = run.modelTflopsPerGpu();
        return new Row(run.model(), run.scenario(), s.cluster().gpu().name(), !s.model().isDense(), run.gpus(),
                run.precision(), r.layout(), costModel.description(),
                run.tokensPerSecondPerGpu(), r.tokensPerSecondPerGpu(),
                errorPct(r.tokensPerSecondPerGpu(), run.tokensPerSecondPerGpu()), publishedTflops,
                r.modelTflopsPerGpu(), publishedTflops == null ? null : errorPct(r.modelTflopsPerGpu(), publishedTflops),
                r.tokensPerStep(), r.tokensPerStep() / (run.tokensPerSecondPerGpu() * run.gpus()) * 1e3,
                r.stepTimeUs() / 1e3, publishedTflops == null ? null : publishedTflops * 1e3 / run.tokensPerSecondPerGpu(),
                r.modelTflopsPerGpu() * 1e3 / r.tokensPerSecondPerGpu(), StepBreakdown.of(r),
                r.peakMemory().totalBytes() / GIB, r.peakMemory().capacityBytes() / GIB,
                r.memory().stream().allMatch(RankMemory::fits), run.source(), run.modelConfig(), s.model());
    }

    /**
     * Checks the scenario's layout against the published one, written as the table writes it:
     * {@code TP1 PP2 VP24 CP1 EP8}, with {@code FSDP} for a fully sharded run; a size left out
     * is not checked.
     */
    static void requireLayout(Path file, String published, ParallelLayout layout) {
        boolean fsdp = false;
        for (String token : published.trim().split("\\s+")) {
            if (token.equals("FSDP")) {
                fsdp = true;
                continue;
            }
            Matcher m = LAYOUT_TOKEN.matcher(token);
            if (!m.matches()) {
                throw new ScenarioException(file + ": published layout token '" + token + "' is none of FSDP, TPn, "
                        + "PPn, VPn, CPn, EPn");
            }
            int size = Integer.parseInt(m.group(2));
            int actual = switch (m.group(1)) {
                case "TP" -> layout.tp();
                case "PP" -> layout.pp();
                case "VP" -> layout.vp();
                case "CP" -> layout.cp();
                default -> layout.ep();
            };
            requireSame(file, "parallelism." + m.group(1).toLowerCase(Locale.ROOT), size, actual);
        }
        if (fsdp != layout.fsdp()) {
            throw new ScenarioException(file + ": parallelism.fsdp is " + layout.fsdp() + " but the published run "
                    + (fsdp ? "used" : "did not use") + " FSDP");
        }
    }

    private static void requireSame(Path file, String what, long published, long scenario) {
        if (published != scenario) {
            throw new ScenarioException(file + ": " + what + " is " + scenario + " but the published run has "
                    + published);
        }
    }

    static double errorPct(double predicted, double published) {
        return (predicted - published) / published * 100;
    }
}
