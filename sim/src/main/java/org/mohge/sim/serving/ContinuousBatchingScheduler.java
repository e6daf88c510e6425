package org.mohge.sim.serving;

/**
 * vLLM-style continuous batching (its v1 scheduler): one token budget per iteration shared by
 * decodes and prefill chunks. Running sequences go first, in admission order, each taking what it
 * still needs (one token when decoding, the rest of its prompt, cut to the budget, when
 * prefilling); a sequence that cannot get KV pages preempts the most recently admitted running
 * sequence (recompute) until it fits or is itself the one preempted. Then, if nothing was
 * preempted, waiting requests are admitted first come first served while the budget, the
 * sequence limit and the free pages allow; the first one that does not fit stops admission.
 * Without chunked prefill a prompt is admitted only whole.
 */
public final class ContinuousBatchingScheduler implements Scheduler {
    @Override
    public void schedule(SchedulerState s) {
        s.batch.clear();
        int budget = s.maxTokensPerIteration;
        long preemptionsBefore = s.preemptions;
        budget = s.scheduleRunning(budget);
        if (s.preemptions > preemptionsBefore) {
            return;
        }
        while (budget > 0 && !s.waiting.isEmpty() && s.running.size() < s.maxRunningSeqs) {
            Request r = s.waiting.peekFirst();
            int pending = r.pendingTokens();
            if (!s.chunkedPrefill && pending > budget) {
                break;
            }
            int n = Math.min(pending, budget);
            if (!s.kv.grow(r, r.computedTokens + n)) {
                break;
            }
            s.waiting.pollFirst();
            s.running.add(r);
            r.scheduledTokens = n;
            s.batch.add(r);
            budget -= n;
        }
    }
}
