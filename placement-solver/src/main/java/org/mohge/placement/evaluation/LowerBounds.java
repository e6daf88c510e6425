package org.mohge.placement.evaluation;

/**
 * Lower bounds on the largest per-GPU expert time any placement can reach, under the linearised
 * copy costs of {@link CopyCostTable} (exact times add wave quantization on top):
 * {@code perfectBalanceUs} spreads the total single-copy work evenly over all GPUs;
 * {@code largestCopyUs} is the heaviest expert split into as many copies as the spare slots
 * allow. {@link #boundUs()} is the larger of the two.
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
            largest = Math.max(largest, costs.copyTimeUs(e, copies));
        }
        return new LowerBounds(balance, costs.fixedUs() + largest);
    }
}
