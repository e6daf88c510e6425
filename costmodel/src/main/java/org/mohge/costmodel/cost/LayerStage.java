package org.mohge.costmodel.cost;

/** Stages of one expert-parallel transformer layer, in execution order; names used in every output. */
public enum LayerStage implements StageLabel {
    ATTENTION("attention"),
    DENSE_FFN("dense ffn"),
    ROUTER("router"),
    PERMUTE("permute"),
    DISPATCH("dispatch a2a"),
    EXPERTS("experts"),
    SHARED_EXPERTS("shared experts"),
    COMBINE("combine a2a"),
    UNPERMUTE("unpermute+combine");

    private final String label;

    LayerStage(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public boolean communication() {
        return this == DISPATCH || this == COMBINE;
    }
}
