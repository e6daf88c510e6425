package org.mohge.costmodel.arch;

/**
 * One row of a parameter table: {@code totalParams} held in the model and the (mean)
 * {@code activatedParams} one token uses. Counts cover all layers of the component.
 */
public record ParamCount(String component, long totalParams, double activatedParams) {
}
