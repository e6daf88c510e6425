package org.mohge.gpu.cpu;

import org.mohge.costmodel.arch.Activation;
import org.mohge.gpu.api.ExpertWeights;

/** One expert FFN on a block of rows, single-threaded, built on {@link Gemm}. */
public final class ExpertKernels {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private ExpertKernels() {
    }

    /** SiLU in double, rounded to float: {@code g / (1 + exp(-g))}. */
    public static float silu(float g) {
        return (float) (g / (1.0 + Math.exp(-g)));
    }

    /** GELU, tanh approximation (PyTorch {@code approximate='tanh'}), in double, rounded to float. */
    public static float gelu(float v) {
        double x = v;
        return (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
    }

    /**
     * {@code out[outOff + r*d ..] = FFN(x[xOff + r*d ..])} for {@code rows} rows of width d.
     * SwiGLU: {@code h = silu(x gate) * (x up)}, GELU: {@code h = gelu(x up)}; then {@code out = h down}.
     * {@code scratch} must hold at least {@code 2 * rows * hidden} floats.
     */
    public static void ffn(ExpertWeights w, float[] x, int xOff, int rows, float[] out, int outOff, float[] scratch) {
        int d = w.modelHidden();
        int h = w.hidden();
        if (rows == 0) {
            return;
        }
        int hOff = rows * h;
        Gemm.multiply(x, xOff, d, w.up().data(), 0, h, scratch, hOff, h, rows, h, d, false);
        if (w.activation() == Activation.SWIGLU) {
            Gemm.multiply(x, xOff, d, w.gate().data(), 0, h, scratch, 0, h, rows, h, d, false);
            for (int i = 0; i < rows * h; i++) {
                scratch[i] = silu(scratch[i]) * scratch[hOff + i];
            }
        } else {
            for (int i = 0; i < rows * h; i++) {
                scratch[i] = gelu(scratch[hOff + i]);
            }
        }
        Gemm.multiply(scratch, 0, h, w.down().data(), 0, d, out, outOff, d, rows, d, h, false);
    }
}
