package org.mohge.costmodel.arch;

/**
 * One routed expert of a MoE layer. {@code index} is its position in the model's expert order
 * (group by group for grouped models); {@code sizeClass} is its group for grouped models, 0 for
 * uniform ones, and the rank of its hidden size among the distinct sizes for heterogeneous ones.
 */
public record ExpertShape(int index, int sizeClass, int hidden) {
}
