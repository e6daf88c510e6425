package org.mohge.sim.serving;

/**
 * A request in flight (an entity: mutable, kept only while it is in the system). Its sequence
 * holds {@link #knownTokens()} tokens (prompt plus generated); {@code computedTokens} of them have
 * their KV in the cache. An iteration that brings {@code computedTokens} up to
 * {@link #knownTokens()} emits one output token. Preemption by recompute drops the cache and
 * starts over from the prefix-cache hit.
 */
public final class Request {
    final long id;
    final long arrivalNs;
    final int promptTokens;
    final int outputTokens;
    final int cachedTokens;
    final long prefixId;
    int computedTokens;
    int generatedTokens;
    /** Pages this request holds alone. */
    int blocks;
    /** Pages of its shared prefix it references (held by the cache's prefix entry), 0 when not attached. */
    int sharedBlocks;
    int scheduledTokens;
    long firstScheduledNs = -1;
    long firstTokenNs = -1;
    int preemptions;
    /** Set when the request leaves its replica at the end of the current iteration (done, or off to decode). */
    boolean leaving;

    Request(long id, Arrival arrival) {
        this.id = id;
        this.arrivalNs = arrival.timeNs();
        this.promptTokens = arrival.promptTokens();
        this.outputTokens = arrival.outputTokens();
        this.cachedTokens = arrival.cachedTokens();
        this.prefixId = arrival.prefixId();
        this.computedTokens = cachedTokens;
    }

    public int knownTokens() {
        return promptTokens + generatedTokens;
    }

    /** Tokens left to compute before the next output token. */
    public int pendingTokens() {
        return knownTokens() - computedTokens;
    }

    /** True while the next iteration would compute more than one token (a prompt, or a recompute). */
    public boolean prefilling() {
        return pendingTokens() > 1 || generatedTokens == 0;
    }

    public boolean done() {
        return generatedTokens >= outputTokens;
    }

    public int computedTokens() {
        return computedTokens;
    }

    public int generatedTokens() {
        return generatedTokens;
    }

    public int blocks() {
        return blocks;
    }

    public int preemptions() {
        return preemptions;
    }

    @Override
    public String toString() {
        return "request " + id;
    }
}
