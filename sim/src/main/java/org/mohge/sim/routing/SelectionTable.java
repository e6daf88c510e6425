package org.mohge.sim.routing;

import java.util.SplittableRandom;

/**
 * Routing decision tables of one MoE layer for one step: a first level that keeps
 * {@code topUnits} of {@code units} (the groups of a grouped model; a single unit holding every
 * expert for a flat router), then inside each kept unit {@code topPerUnit} of its experts. Each
 * level stores cumulative inclusion probabilities (see {@link Inclusion}), either one row or one
 * row per difficulty bin.
 */
public final class SelectionTable {
    private final int experts;
    private final int units;
    private final int topUnits;
    private final int bins1;
    private final double[] cum1;
    private final int[][] unitExperts;
    private final int topPerUnit;
    private final int bins2;
    private final double[][] cum2;
    /** Precomputed draws, built on first use (aggregate routing never needs them). */
    private SystematicTable level1;
    private SystematicTable[] level2;

    /**
     * @param cum1        {@code bins1 * (units + 1)} cumulative first-level sums (ignored when units = 1)
     * @param unitExperts expert ids of each unit, in the order of its cumulative sums
     * @param cum2        per unit, {@code bins2 * (unitExperts[u].length + 1)} cumulative sums
     */
    public SelectionTable(int experts, int units, int topUnits, int bins1, double[] cum1, int[][] unitExperts,
                          int topPerUnit, int bins2, double[][] cum2) {
        this.experts = experts;
        this.units = units;
        this.topUnits = topUnits;
        this.bins1 = bins1;
        this.cum1 = cum1;
        this.unitExperts = unitExperts;
        this.topPerUnit = topPerUnit;
        this.bins2 = bins2;
        this.cum2 = cum2;
    }

    /** Builds the precomputed draws if not done yet; call once before routing from another thread. */
    public synchronized void prepare() {
        if (level2 != null) {
            return;
        }
        int[] unitIds = new int[units];
        for (int u = 0; u < units; u++) {
            unitIds[u] = u;
        }
        SystematicTable first = units == 1 ? null : new SystematicTable(cum1, bins1, units, topUnits, unitIds);
        SystematicTable[] second = new SystematicTable[unitExperts.length];
        for (int u = 0; u < unitExperts.length; u++) {
            second[u] = new SystematicTable(cum2[u], bins2, unitExperts[u].length, topPerUnit, unitExperts[u]);
        }
        level1 = first;
        level2 = second;
    }

    /** A flat table with one row: expert e is taken with probability {@code pi[e]} (summing to k). */
    public static SelectionTable flat(double[] pi, int k) {
        int n = pi.length;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        double[] cum = new double[n + 1];
        Inclusion.cumulative(pi, k, cum, 0);
        return new SelectionTable(n, 1, 1, 1, new double[] {0, 1}, new int[][] {ids}, k, 1, new double[][] {cum});
    }

    public int experts() {
        return experts;
    }

    /** Experts each token takes. */
    public int picksPerToken() {
        return topUnits * topPerUnit;
    }

    /** True when decisions depend on the token's difficulty bin. */
    public boolean usesDifficulty() {
        return bins1 > 1 || bins2 > 1;
    }

    /**
     * Routes one token of difficulty bin {@code bin}: adds 1 to {@code counts[base + e]} for each
     * of the {@link #picksPerToken()} distinct experts it takes.
     */
    public void route(SplittableRandom rng, int bin, double[] counts, int base) {
        if (level2 == null) {
            prepare();
        }
        if (units == 1) {
            routeInUnit(rng, 0, bin, counts, base);
            return;
        }
        int at = level1.pick(bins1 == 1 ? 0 : bin, rng.nextDouble());
        int[] chosen = level1.selection();
        for (int m = 0; m < topUnits; m++) {
            routeInUnit(rng, chosen[at + m], bin, counts, base);
        }
    }

    private void routeInUnit(SplittableRandom rng, int unit, int bin, double[] counts, int base) {
        SystematicTable table = level2[unit];
        int at = table.pick(bins2 == 1 ? 0 : bin, rng.nextDouble());
        int[] ids = table.selection();
        for (int r = 0; r < topPerUnit; r++) {
            counts[base + ids[at + r]] += 1;
        }
    }

    /** The same draw as {@link #route}, by binary searches over the cumulative sums (reference for tests). */
    void routeBySearch(SplittableRandom rng, int bin, double[] counts, int base) {
        if (units == 1) {
            routeInUnitBySearch(rng, 0, bin, counts, base);
            return;
        }
        int off = (bins1 == 1 ? 0 : bin) * (units + 1);
        double u = rng.nextDouble();
        int lo = 0;
        for (int m = 0; m < topUnits; m++) {
            int unit = Inclusion.search(cum1, off, lo, units, u + m);
            routeInUnitBySearch(rng, unit, bin, counts, base);
            lo = unit + 1 < units ? unit + 1 : unit;
        }
    }

    private void routeInUnitBySearch(SplittableRandom rng, int unit, int bin, double[] counts, int base) {
        int[] ids = unitExperts[unit];
        int n = ids.length;
        int off = (bins2 == 1 ? 0 : bin) * (n + 1);
        double v = rng.nextDouble();
        int lo = 0;
        for (int r = 0; r < topPerUnit; r++) {
            int j = Inclusion.search(cum2[unit], off, lo, n, v + r);
            counts[base + ids[j]] += 1;
            lo = j + 1 < n ? j + 1 : j;
        }
    }

    /** Probability that a token of bin {@code bin} takes each expert (sums to picksPerToken). */
    public double[] inclusion(int bin) {
        double[] pi = new double[experts];
        int off1 = (bins1 == 1 ? 0 : bin) * (units + 1);
        for (int unit = 0; unit < units; unit++) {
            double p1 = units == 1 ? 1.0 : cum1[off1 + unit + 1] - cum1[off1 + unit];
            int[] ids = unitExperts[unit];
            int n = ids.length;
            int off2 = (bins2 == 1 ? 0 : bin) * (n + 1);
            for (int j = 0; j < n; j++) {
                pi[ids[j]] += p1 * (cum2[unit][off2 + j + 1] - cum2[unit][off2 + j]);
            }
        }
        return pi;
    }

    /** Inclusion probabilities averaged over the equally likely difficulty bins. */
    public double[] meanInclusion() {
        if (!usesDifficulty()) {
            return inclusion(0);
        }
        double[] mean = new double[experts];
        for (int b = 0; b < DifficultyTable.BINS; b++) {
            double[] pi = inclusion(b);
            for (int e = 0; e < experts; e++) {
                mean[e] += pi[e] / DifficultyTable.BINS;
            }
        }
        return mean;
    }
}
