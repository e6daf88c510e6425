package org.mohge.sim.serving;

import org.mohge.costmodel.spec.Require;

/**
 * Batch limits of one attention data-parallel rank (a replica with {@code dp} ranks has
 * {@code dp} times these): {@code maxTokensPerIteration} (default 8192) tokens computed per
 * iteration, {@code maxRunningSeqs} (default 256) sequences holding KV cache, and
 * {@code chunkedPrefill} (default true) to split a long prompt over iterations.
 */
public record SchedulerSpec(SchedulerPolicy policy, Integer maxTokensPerIteration, Integer maxRunningSeqs,
                            Boolean chunkedPrefill) {
    public SchedulerSpec {
        policy = policy == null ? SchedulerPolicy.CONTINUOUS : policy;
        maxTokensPerIteration = maxTokensPerIteration == null ? 8192 : maxTokensPerIteration;
        Require.positive(maxTokensPerIteration, "maxTokensPerIteration");
        maxRunningSeqs = maxRunningSeqs == null ? 256 : maxRunningSeqs;
        Require.positive(maxRunningSeqs, "maxRunningSeqs");
        chunkedPrefill = chunkedPrefill == null ? Boolean.TRUE : chunkedPrefill;
    }

    public static SchedulerSpec defaults() {
        return new SchedulerSpec(null, null, null, null);
    }
}
