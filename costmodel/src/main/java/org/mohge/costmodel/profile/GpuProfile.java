package org.mohge.costmodel.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.mohge.costmodel.calibration.CalibrationFitter;
import org.mohge.costmodel.cost.HostCosts;
import org.mohge.costmodel.cost.KernelParams;
import org.mohge.costmodel.spec.Require;

/**
 * A GPU's published profile: the fitted {@link KernelParams}, the measurements they were fitted
 * to (each with its source and figure), and {@code basis}, one sentence on what the measurements
 * cover and what they do not. {@code prior} names the profile whose parameters start the fit and
 * hold those no measurement here constrains (absent: {@link ProfileFitter#HOPPER_START}).
 * {@code host} (optional) is what the host pays to issue work, with its sources; not fitted.
 * {@code checks} (optional) are further published measurements on this GPU kept out of the fit,
 * re-predicted only to show how far the fitted parameters carry to kernels they never saw.
 * {@code wholeSteps} (optional) is how far whole training steps priced with this profile land
 * from published runs: the figures of {@code mohge bench fidelity} for this GPU, stored so every
 * report can state them, and checked against a fresh run of the suite by cli's
 * {@code FidelitySuiteTest} (it fails when they go stale).
 */
public record GpuProfile(@JsonProperty(required = true) String gpu,
                         @JsonProperty(required = true) String basis,
                         String prior,
                         @JsonProperty(required = true) KernelParams params,
                         @JsonProperty(required = true) List<PublishedMeasurement> measurements,
                         HostIssue host,
                         WholeStepFidelity wholeSteps,
                         List<PublishedMeasurement> checks) {
    /**
     * What the host pays to issue work, with where each figure is published; not fitted (no kernel
     * benchmark sees the host). {@code issueUsPerKernel}: the launch of a kernel an extension issues
     * in its own C++ loop; {@code usPerOp}: a whole framework operation issued from Python.
     */
    public record HostIssue(@JsonProperty(required = true) double issueUsPerKernel,
                            @JsonProperty(required = true) String source,
                            @JsonProperty(required = true) String figure,
                            @JsonProperty(required = true) double usPerOp,
                            @JsonProperty(required = true) String opSource,
                            @JsonProperty(required = true) String opFigure) {
        public HostIssue {
            Require.nonNegative(issueUsPerKernel, "host.issueUsPerKernel");
            Require.text(source, "host.source");
            Require.text(figure, "host.figure");
            Require.nonNegative(usPerOp, "host.usPerOp");
            Require.text(opSource, "host.opSource");
            Require.text(opFigure, "host.opFigure");
        }

        public HostCosts costs() {
            return new HostCosts(usPerOp, issueUsPerKernel);
        }
    }

    /**
     * The fidelity suite's figures for this GPU, over every published run on it (the suite's rows
     * and its independent checks), apart for dense models and MoE models since the two land far
     * apart: each the number of runs and the median and worst absolute error of predicted tokens/s
     * per GPU, in %; {@code null} where no run of that kind is on this GPU. {@code rankings}: how
     * many pairs of published runs of one model on this GPU the model orders as published;
     * {@code null} where no two runs qualify.
     */
    public record WholeStepFidelity(@JsonProperty(required = true) String suite, StepErrors dense, StepErrors moe,
                                    Rankings rankings) {
        public WholeStepFidelity {
            Require.text(suite, "wholeSteps.suite");
            Require.check(dense != null || moe != null, "wholeSteps", "needs dense or moe figures");
        }
    }

    /**
     * Of {@code pairs} pairs of published runs of one model on this GPU whose published tokens/s
     * per GPU lie at least 10% apart, the {@code agreeing} ones the model calls the same one faster
     * in: how far a comparison of layouts, precisions or dispatchers can be trusted, apart from how
     * far each run's own figure is off.
     */
    public record Rankings(@JsonProperty(required = true) int pairs, @JsonProperty(required = true) int agreeing) {
        public Rankings {
            Require.positive(pairs, "wholeSteps.rankings.pairs");
            Require.check(agreeing >= 0 && agreeing <= pairs, "wholeSteps.rankings.agreeing",
                    "must be within 0.." + pairs);
        }

        String describe() {
            return String.format(java.util.Locale.ROOT, "rankings: %d of %d published pairs of one model ordered as "
                    + "published", agreeing, pairs);
        }
    }

    /**
     * How far {@code runs} published whole steps land: median and worst |error| of tokens/s per GPU,
     * in %, and how many of them were predicted faster than published (all of them says the
     * estimate is a bound from below on the step time, not a midpoint).
     */
    public record StepErrors(@JsonProperty(required = true) int runs,
                             @JsonProperty(required = true) double medianAbsErrorPct,
                             @JsonProperty(required = true) double worstAbsErrorPct,
                             @JsonProperty(required = true) int fasterRuns) {
        public StepErrors {
            Require.positive(runs, "wholeSteps.runs");
            Require.nonNegative(medianAbsErrorPct, "wholeSteps.medianAbsErrorPct");
            Require.nonNegative(worstAbsErrorPct, "wholeSteps.worstAbsErrorPct");
            Require.check(fasterRuns >= 0 && fasterRuns <= runs, "wholeSteps.fasterRuns", "must be within 0.." + runs);
        }

        String describe(String kind) {
            return String.format(java.util.Locale.ROOT, "%s median %.1f%%, worst %.1f%% over %d published run%s, "
                    + "%d predicted faster than published", kind, medianAbsErrorPct, worstAbsErrorPct, runs,
                    runs == 1 ? "" : "s", fasterRuns);
        }
    }

    /** The host's issue costs, none where the profile has no host block. */
    public HostCosts hostCosts() {
        return host == null ? HostCosts.NONE : host.costs();
    }

    public GpuProfile {
        Require.text(gpu, "gpu");
        Require.text(basis, "basis");
        Require.present(params, "params");
        Require.present(measurements, "measurements");
        measurements = List.copyOf(measurements);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** Absolute error of every measurement under the shipped parameters, in %, in file order. */
    public double[] absErrorsPct() {
        return measurements.stream().mapToDouble(m -> Math.abs(MeasurementPredictor.errorPct(params, m))).toArray();
    }

    /** Absolute error of every unfitted check under the shipped parameters, in %, in file order. */
    public double[] checkAbsErrorsPct() {
        return checks.stream().mapToDouble(m -> Math.abs(MeasurementPredictor.errorPct(params, m))).toArray();
    }

    /** Median absolute error of the shipped parameters over the unfitted checks, in % (NaN with none). */
    public double checkMedianAbsErrorPct() {
        return checks.isEmpty() ? Double.NaN : CalibrationFitter.median(checkAbsErrorsPct());
    }

    /** Median absolute error of the shipped parameters over the profile's measurements, in %. */
    public double medianAbsErrorPct() {
        return CalibrationFitter.median(absErrorsPct());
    }

    public GpuProfile withParams(KernelParams fitted) {
        return new GpuProfile(gpu, basis, prior, fitted, measurements, host, wholeSteps, checks);
    }
}
