package org.mohge.sim.serving;

/**
 * Time of one iteration and, when it ran routed experts on several expert-parallel ranks, the
 * slowest rank's expert time over the mean rank's (1 when balanced or not applicable).
 */
public record IterationCost(long timeNs, double expertImbalance) {
}
