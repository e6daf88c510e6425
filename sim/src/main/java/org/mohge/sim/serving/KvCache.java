package org.mohge.sim.serving;

import java.util.HashMap;
import java.util.Map;

/**
 * A paged KV cache: {@code totalBlocks} pages of {@code blockTokens} tokens; a sequence of n
 * cached tokens needs {@code ceil(n / blockTokens)} pages. Requests with the same prefix id share
 * the full pages of their cached prefix (as vLLM's prefix caching does with reference counts): the
 * first to arrive brings them, the others reference them, and they are freed when the last one
 * leaves; each request holds its other pages alone. Only prefixes referenced by requests in the
 * cache are kept, so memory stays bounded by the requests in flight.
 */
public final class KvCache {
    private final int totalBlocks;
    private final int blockTokens;
    private final Map<Long, SharedPrefix> prefixes = new HashMap<>();
    private int usedBlocks;

    /** A shared prefix's pages and how many requests in the cache reference them. */
    private static final class SharedPrefix {
        int blocks;
        int refs;
    }

    public KvCache(int totalBlocks, int blockTokens) {
        if (totalBlocks <= 0 || blockTokens <= 0) {
            throw new IllegalArgumentException("KV cache needs blocks > 0 and blockTokens > 0, got " + totalBlocks
                    + " and " + blockTokens);
        }
        this.totalBlocks = totalBlocks;
        this.blockTokens = blockTokens;
    }

    public int blocksFor(long tokens) {
        return (int) ((tokens + blockTokens - 1) / blockTokens);
    }

    /**
     * Grows {@code r}'s pages to hold {@code tokens} tokens, attaching it to its shared prefix first;
     * false (and nothing taken) when too few are free.
     */
    boolean grow(Request r, int tokens) {
        boolean attach = r.prefixId >= 0 && r.sharedBlocks == 0 && r.cachedTokens >= blockTokens;
        int shared = r.sharedBlocks;
        int prefixGrowth = 0;
        SharedPrefix prefix = null;
        if (attach) {
            prefix = prefixes.get(r.prefixId);
            shared = r.cachedTokens / blockTokens; // full pages only: a partial page is the request's own
            prefixGrowth = Math.max(0, shared - (prefix == null ? 0 : prefix.blocks));
        }
        int need = Math.max(0, blocksFor(tokens) - shared - r.blocks);
        if (need + prefixGrowth > totalBlocks - usedBlocks) {
            return false;
        }
        if (attach) {
            if (prefix == null) {
                prefix = new SharedPrefix();
                prefixes.put(r.prefixId, prefix);
            }
            prefix.blocks += prefixGrowth;
            prefix.refs++;
            r.sharedBlocks = shared;
        }
        usedBlocks += need + prefixGrowth;
        r.blocks += need;
        return true;
    }

    void release(Request r) {
        usedBlocks -= r.blocks;
        r.blocks = 0;
        if (r.sharedBlocks > 0) {
            SharedPrefix prefix = prefixes.get(r.prefixId);
            r.sharedBlocks = 0;
            if (--prefix.refs == 0) {
                usedBlocks -= prefix.blocks;
                prefixes.remove(r.prefixId);
            }
        }
    }

    public int totalBlocks() {
        return totalBlocks;
    }

    public int blockTokens() {
        return blockTokens;
    }

    public int usedBlocks() {
        return usedBlocks;
    }

    public int freeBlocks() {
        return totalBlocks - usedBlocks;
    }

    public double usedFraction() {
        return (double) usedBlocks / totalBlocks;
    }
}
