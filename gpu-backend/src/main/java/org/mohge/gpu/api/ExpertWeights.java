package org.mohge.gpu.api;

import org.mohge.costmodel.arch.Activation;

/**
 * One FFN expert of hidden size {@code hidden} on a model of width {@code d}: {@code up} and (for
 * SwiGLU) {@code gate} are {@code d x hidden}, {@code down} is {@code hidden x d}, all row-major.
 * For GELU experts {@code gate} is an empty {@code 0 x hidden} matrix. SwiGLU computes
 * {@code down(silu(x gate) * (x up))}, GELU {@code down(gelu_tanh(x up))}; no biases.
 */
public record ExpertWeights(int hidden, FloatMatrix gate, FloatMatrix up, FloatMatrix down) {

    public ExpertWeights {
        if (hidden <= 0) {
            throw new IllegalArgumentException("hidden must be > 0, got " + hidden);
        }
        int d = up.rows();
        if (up.cols() != hidden) {
            throw new IllegalArgumentException("up must be d x " + hidden + ", got " + up);
        }
        if (gate.rows() != 0 && (gate.rows() != d || gate.cols() != hidden)) {
            throw new IllegalArgumentException("gate must be " + d + "x" + hidden + " or empty, got " + gate);
        }
        if (down.rows() != hidden || down.cols() != d) {
            throw new IllegalArgumentException("down must be " + hidden + "x" + d + ", got " + down);
        }
    }

    public int modelHidden() {
        return up.rows();
    }

    public Activation activation() {
        return gate.rows() == 0 ? Activation.GELU : Activation.SWIGLU;
    }
}
