package org.mohge.sim.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scheduler sees and changes on one replica: the waiting queue (FCFS; preempted requests go
 * back to its head), the running sequences in admission order, the KV cache and the batch limits.
 */
public final class SchedulerState {
    final ArrayDeque<Request> waiting = new ArrayDeque<>();
    final ArrayList<Request> running = new ArrayList<>();
    final List<Request> batch = new ArrayList<>();
    final KvCache kv;
    final int maxTokensPerIteration;
    final int maxRunningSeqs;
    final boolean chunkedPrefill;
    long preemptions;

    public SchedulerState(KvCache kv, int maxTokensPerIteration, int maxRunningSeqs, boolean chunkedPrefill) {
        this.kv = kv;
        this.maxTokensPerIteration = maxTokensPerIteration;
        this.maxRunningSeqs = maxRunningSeqs;
        this.chunkedPrefill = chunkedPrefill;
    }

    /** Recompute preemption of the most recently admitted running request; returns it. */
    Request preemptLast() {
        Request victim = running.remove(running.size() - 1);
        kv.release(victim);
        victim.computedTokens = victim.cachedTokens;
        victim.preemptions++;
        preemptions++;
        waiting.addFirst(victim);
        return victim;
    }

    /**
     * Gives the running requests, in admission order, what they still need within {@code budget}
     * tokens; a request that cannot get KV pages preempts the most recently admitted one
     * (recompute) until it fits or is itself preempted. Returns the budget left.
     */
    int scheduleRunning(int budget) {
        int left = budget;
        for (int i = 0; i < running.size() && left > 0; i++) {
            Request r = running.get(i);
            int n = Math.min(r.pendingTokens(), left);
            while (!kv.grow(r, r.computedTokens + n)) {
                if (preemptLast() == r) {
                    return left;
                }
            }
            r.scheduledTokens = n;
            batch.add(r);
            left -= n;
        }
        return left;
    }

    /** Requests in this replica (waiting and running). */
    public int inFlight() {
        return waiting.size() + running.size();
    }

    public long preemptions() {
        return preemptions;
    }

    /** True when a request of this length can ever run here (fits the cache, and the budget when prefill is not chunked). */
    boolean admissible(int promptTokens, int outputTokens) {
        long total = (long) promptTokens + outputTokens;
        if (kv.blocksFor(total) > kv.totalBlocks()) {
            return false;
        }
        return chunkedPrefill || total <= maxTokensPerIteration;
    }
}
