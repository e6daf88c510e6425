package org.mohge.costmodel.cost;

/** Time of one layer stage on the critical GPU, forward and (for training) backward. */
public record StageCost(LayerStage stage, double forwardUs, double backwardUs, double flops, double bytes) {
    public double totalUs() {
        return forwardUs + backwardUs;
    }
}
