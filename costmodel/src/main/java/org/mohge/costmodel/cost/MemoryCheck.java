package org.mohge.costmodel.cost;

import java.util.List;
import java.util.Locale;
import org.mohge.costmodel.spec.SpecViolation;

/** Refuses a deployment whose memory estimate overfills a GPU, naming the GPU and what fills it. */
public final class MemoryCheck {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private MemoryCheck() {
    }

    /** Throws a {@link SpecViolation} on {@code field} for the first estimate that does not fit. */
    public static void requireFits(List<MemoryEstimate> estimates, String field) {
        for (MemoryEstimate m : estimates) {
            if (!m.fits()) {
                throw new SpecViolation(field, String.format(Locale.ROOT,
                        "needs %.1f GiB on GPU %d (weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f, "
                                + "KV cache %.1f), more than its %.1f GiB",
                        m.totalBytes() / GIB, m.gpu(), m.weightBytes() / GIB, m.gradientBytes() / GIB,
                        m.optimizerBytes() / GIB, m.activationBytes() / GIB, m.kvCacheBytes() / GIB,
                        m.capacityBytes() / GIB));
            }
        }
    }
}
