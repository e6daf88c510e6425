package org.mohge.cli.plan;

import org.mohge.costmodel.spec.Require;

/**
 * What a design must reach: at least {@code minTokensPerSecond} or at most {@code maxStepTimeMs}
 * (exactly one of the two), and at least {@code minMemoryHeadroomPct} percent of every GPU's
 * memory left free (default 0: it only has to fit).
 */
public record PlanTarget(Double minTokensPerSecond, Double maxStepTimeMs, Double minMemoryHeadroomPct) {

    public PlanTarget {
        Require.check(minTokensPerSecond != null || maxStepTimeMs != null, "minTokensPerSecond",
                "or maxStepTimeMs is required (the throughput or step time a design must reach)");
        Require.check(minTokensPerSecond == null || maxStepTimeMs == null, "maxStepTimeMs",
                "must not be given together with minTokensPerSecond (give one of the two)");
        if (minTokensPerSecond != null) {
            Require.positive(minTokensPerSecond, "minTokensPerSecond");
        }
        if (maxStepTimeMs != null) {
            Require.positive(maxStepTimeMs, "maxStepTimeMs");
        }
        minMemoryHeadroomPct = Require.orDefault(minMemoryHeadroomPct, 0.0);
        Require.check(minMemoryHeadroomPct >= 0 && minMemoryHeadroomPct < 100, "minMemoryHeadroomPct",
                "must be in [0, 100), got " + minMemoryHeadroomPct);
    }

    /** Whether a fitting point with these figures meets the target. */
    public boolean isMetBy(double tokensPerSecond, double stepTimeMs, double memoryHeadroomPct) {
        boolean speed = minTokensPerSecond != null ? tokensPerSecond >= minTokensPerSecond
                : stepTimeMs <= maxStepTimeMs;
        return speed && memoryHeadroomPct >= minMemoryHeadroomPct;
    }

    /** The target in words, e.g. {@code tokens/s >= 2000000 and memory headroom >= 10%}. */
    public String describe() {
        String speed = minTokensPerSecond != null ? "tokens/s >= " + Numbers.plain(minTokensPerSecond)
                : "step time <= " + Numbers.plain(maxStepTimeMs) + " ms";
        return speed + " and memory headroom >= " + Numbers.plain(minMemoryHeadroomPct) + "%";
    }
}
