package org.mohge.sim.serving;

/**
 * A paged KV cache: {@code totalBlocks} pages of {@code blockTokens} tokens; a sequence of n
 * cached tokens holds {@code ceil(n / blockTokens)} pages. No sharing between sequences.
 */
public final class KvCache {
    private final int totalBlocks;
    private final int blockTokens;
    private int usedBlocks;

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

    /** Grows {@code r}'s pages to hold {@code tokens} tokens; false (and nothing taken) when too few are free. */
    boolean grow(Request r, int tokens) {
        int need = blocksFor(tokens) - r.blocks;
        if (need <= 0) {
            return true;
        }
        if (need > totalBlocks - usedBlocks) {
            return false;
        }
        usedBlocks += need;
        r.blocks += need;
        return true;
    }

    void release(Request r) {
        usedBlocks -= r.blocks;
        r.blocks = 0;
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
