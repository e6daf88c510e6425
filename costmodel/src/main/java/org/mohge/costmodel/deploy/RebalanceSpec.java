package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * The scenario's {@code placement.rebalance}: during a simulation, re-place the experts of every MoE
 * layer every {@code everySteps} steps from the loads observed since the last re-placement, adding at
 * most {@code maxMoves} expert copies per layer to GPUs that did not hold them.
 */
public record RebalanceSpec(@JsonProperty(required = true) Integer everySteps,
                            @JsonProperty(required = true) Integer maxMoves) {
    public RebalanceSpec {
        Require.present(everySteps, "everySteps");
        Require.positive(everySteps, "everySteps");
        Require.present(maxMoves, "maxMoves");
        Require.nonNegative(maxMoves, "maxMoves");
    }
}
