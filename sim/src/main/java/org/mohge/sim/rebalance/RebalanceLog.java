package org.mohge.sim.rebalance;

import java.util.List;

/**
 * What re-placing did over a run: one entry per re-placement (after which step, experts moved,
 * bytes, transfer time) and the totals.
 */
public record RebalanceLog(int everySteps, List<Entry> entries) {

    /** One re-placement after step {@code afterStep}. */
    public record Entry(int afterStep, int expertsMoved, double bytesMoved, double transferUs) {
    }

    public RebalanceLog {
        entries = List.copyOf(entries);
    }

    public int expertsMoved() {
        return entries.stream().mapToInt(Entry::expertsMoved).sum();
    }

    public double bytesMoved() {
        return entries.stream().mapToDouble(Entry::bytesMoved).sum();
    }

    public double transferUs() {
        return entries.stream().mapToDouble(Entry::transferUs).sum();
    }
}
