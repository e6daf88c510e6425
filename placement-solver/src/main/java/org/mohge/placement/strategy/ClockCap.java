package org.mohge.placement.strategy;

/**
 * Whether the optional wall-clock cap ({@code --seconds}) cut a strategy's run short. Searches
 * are bounded by counts, so their result is the same on any machine; only a cap that fires makes
 * it depend on machine speed and load, and the report says so.
 */
public final class ClockCap {
    private volatile boolean hit;

    /** The cap ended a run before its counts did. */
    public void markHit() {
        hit = true;
    }

    public boolean hit() {
        return hit;
    }
}
