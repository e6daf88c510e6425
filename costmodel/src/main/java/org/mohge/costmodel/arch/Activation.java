package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

/** FFN flavour of an expert: how many d x W weight matrices one expert holds. */
public enum Activation {
    /** gate, up and down projections: {@code 3 * d * W} weights. */
    @JsonProperty("swiglu") SWIGLU(3),
    /** up and down projections: {@code 2 * d * W} weights. */
    @JsonProperty("gelu") GELU(2);

    private final int matrices;

    Activation(int matrices) {
        this.matrices = matrices;
    }

    public int matrices() {
        return matrices;
    }

    /** Weights of one FFN of hidden size {@code ffnHidden} on a model of width {@code modelHidden} (no biases). */
    public long ffnParams(int modelHidden, int ffnHidden) {
        return (long) matrices * modelHidden * ffnHidden;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
