package org.mohge.costmodel.parallel;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Activation recomputation (Korthikanti et al., 2205.05198): {@code NONE} keeps every activation;
 * {@code SELECTIVE} drops the attention core's softmax, dropout and score tensors and recomputes
 * them in the backward; {@code FULL} keeps only each layer's input and recomputes the layer.
 */
public enum Recompute {
    @JsonProperty("none") NONE,
    @JsonProperty("selective") SELECTIVE,
    @JsonProperty("full") FULL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
