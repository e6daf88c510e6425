package org.mohge.sim.serving;

/** Prices one iteration of a replica. Implementations are deterministic functions of the shape. */
public interface IterationPricer {
    IterationCost price(BatchShape shape);

    /** Every iteration takes {@code timeNs}, whatever it holds (queueing tests, what-ifs). */
    static IterationPricer constant(long timeNs) {
        IterationCost cost = new IterationCost(timeNs, 1.0);
        return shape -> cost;
    }
}
