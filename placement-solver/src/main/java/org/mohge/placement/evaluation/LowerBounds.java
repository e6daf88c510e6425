package org.mohge.placement.evaluation;

/**
 * Lower bounds on the largest per-GPU expert time any placement can reach.
 * {@code perfectBalanceUs} spreads the total single-copy work of {@link CopyCostTable} (full
 * waves, no quantization) evenly over all GPUs, plus the fixed launch time; {@code largestCopyUs}
 * is the exact time of the heaviest expert copy on a GPU of its own, the expert split into as many
 * copies as the spare slots allow. {@link #boundUs()} is the larger of the two. (The cost model's
 * grouped-GEMM estimate is a list-scheduling approximation, not strictly monotone in the set of
 * experts, so a placement can in rare cases come in a hair under the largest-copy bound.)
 */
public record LowerBounds(double perfectBalanceUs, double largestCopyUs) {

    public double boundUs() {
        return Math.max(perfectBalanceUs, largestCopyUs);
    }

    public static LowerBounds of(CopyCostTable costs) {
        double balance = costs.fixedUs() + costs.totalSingleCopyUs() / costs.gpuCount();
        double largest = 0;
        int copies = costs.maxCopiesPerExpert();
        for (int e = 0; e < costs.expertCount(); e++) {
            largest = Math.max(largest, costs.aloneTimeUs(e, copies));
        }
        return new LowerBounds(balance, largest);
    }
}
