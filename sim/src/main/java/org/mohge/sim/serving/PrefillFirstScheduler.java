package org.mohge.sim.serving;

/**
 * Prefill-first batching (vLLM's scheduler before chunked prefill, and Orca-style servers): when
 * waiting requests can be admitted, the iteration runs only their whole prompts (as many as the
 * budget, the sequence limit and the free pages allow, first come first served) and the running
 * sequences wait; otherwise it decodes one token of every running sequence, preempting the most
 * recently admitted one (recompute) when the KV cache is full.
 */
public final class PrefillFirstScheduler implements Scheduler {
    @Override
    public void schedule(SchedulerState s) {
        s.batch.clear();
        int budget = s.maxTokensPerIteration;
        while (!s.waiting.isEmpty() && s.running.size() < s.maxRunningSeqs) {
            Request r = s.waiting.peekFirst();
            int n = r.pendingTokens();
            if (n > budget || !s.kv.grow(r, r.computedTokens + n)) {
                break;
            }
            s.waiting.pollFirst();
            s.running.add(r);
            r.scheduledTokens = n;
            s.batch.add(r);
            budget -= n;
        }
        if (!s.batch.isEmpty()) {
            return;
        }
        s.scheduleRunning(budget);
    }
}
