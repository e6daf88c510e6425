package org.mohge.sim.serving;

/**
 * One model instance: its scheduler state (queue, running sequences, KV cache), its pricer and
 * whether an iteration is running. Holds no finished request.
 */
final class Replica {
    final int index;
    final PoolRole role;
    final SchedulerState state;
    final Scheduler scheduler;
    final IterationPricer pricer;
    boolean busy;
    long iterations;
    long busyNs;

    Replica(int index, PoolRole role, SchedulerState state, Scheduler scheduler, IterationPricer pricer) {
        this.index = index;
        this.role = role;
        this.state = state;
        this.scheduler = scheduler;
        this.pricer = pricer;
    }

    /** The shape of the batch the scheduler just formed. */
    BatchShape shape() {
        long prefill = 0;
        double attended = 0;
        long decode = 0;
        double context = 0;
        long logits = 0;
        for (Request r : state.batch) {
            int n = r.scheduledTokens;
            long c0 = r.computedTokens;
            if (n == 1 && !r.prefilling()) {
                decode++;
                context += c0 + 1;
            } else {
                prefill += n;
                attended += n * (double) c0 + n * (n + 1.0) / 2;
            }
            if (c0 + n == r.knownTokens()) {
                logits++;
            }
        }
        return new BatchShape(prefill, attended, decode, context, logits);
    }
}
