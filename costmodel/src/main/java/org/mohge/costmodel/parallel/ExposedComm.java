package org.mohge.costmodel.parallel;

/**
 * Communication time per step that the compute stream of the critical rank waits on, per kind,
 * in us: tensor-, context- and expert-parallel exchanges inside the layers, pipeline sends on the
 * fill and drain path, and the data-parallel gradient reduce / parameter gather not hidden behind
 * the backward (forward) pass.
 */
public record ExposedComm(double tpUs, double cpUs, double epUs, double ppUs, double dpUs) {
}
