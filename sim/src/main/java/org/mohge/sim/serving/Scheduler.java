package org.mohge.sim.serving;

/**
 * Forms the next iteration's batch on one replica: fills {@link SchedulerState#batch} with the
 * requests to run, setting each one's {@code scheduledTokens}, growing their KV pages, admitting
 * waiting requests and preempting running ones as the policy says. An empty batch means idle.
 */
public interface Scheduler {
    void schedule(SchedulerState state);

    static Scheduler of(SchedulerPolicy policy) {
        return policy == SchedulerPolicy.CONTINUOUS ? new ContinuousBatchingScheduler() : new PrefillFirstScheduler();
    }
}
