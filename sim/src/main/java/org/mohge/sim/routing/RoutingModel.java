package org.mohge.sim.routing;

/**
 * Where the tokens of one micro-batch go, layer by layer. Implementations are deterministic
 * functions of the seed and their arguments.
 */
public interface RoutingModel {

    int moeLayers();

    int experts();

    /** Experts each token takes. */
    int picksPerToken();

    /**
     * Routed copies of one micro-batch of step {@code step}: source GPU {@code g} holds
     * {@code tokensPerGpu[g]} tokens; the result has one array per MoE layer, with
     * {@code counts[src * experts + e]} the copies GPU src sends to expert e.
     */
    double[][] route(int step, int microBatch, long[] tokensPerGpu);

    /**
     * The same model when each step is routed as {@code units} micro-batches (the simulator splits
     * micro-batches in two for dual micro-batch overlap); only trace replay cares.
     */
    default RoutingModel withUnitsPerStep(int units) {
        return this;
    }

    /** Expected inclusion probability of each expert (sums to picksPerToken) in MoE layer {@code layer} at step 0. */
    double[] expectedInclusion(int layer);
}
