package org.mohge.costmodel.cost;

/** Work of a training step that belongs to no single transformer layer; names used in every output. */
public enum StepStage implements StageLabel {
    /** LM head and loss, after the last layer. */
    LM_HEAD("lm head"),
    /** One pipeline stage's forward pass over one micro-batch (one virtual chunk). */
    PIPELINE_FORWARD("forward"),
    /** Its backward pass. */
    PIPELINE_BACKWARD("backward"),
    /** A point-to-point activation or gradient send between pipeline stages. */
    PIPELINE_SEND("send"),
    /** The data-parallel parameter all-gather (distributed optimizer, FSDP). */
    DP_PARAM_GATHER("dp param gather"),
    /** The data-parallel gradient reduce-scatter or all-reduce. */
    DP_GRAD_REDUCE("dp grad reduce"),
    /** The optimizer step over the rank's shard. */
    OPTIMIZER("optimizer"),
    /** Zero-time join: a chunk's first forward waits for its parameters' all-gather. */
    GATHER_GATE("gather gate");

    private final String label;

    StepStage(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
