package org.mohge.gpu.api;

import java.util.SplittableRandom;

/**
 * A dense row-major float32 matrix {@code rows x cols}. The array is shared, not copied: a
 * backend may write into matrices it created, callers treat returned matrices as read-only.
 */
public record FloatMatrix(int rows, int cols, float[] data) {

    public FloatMatrix {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be > 0, got " + cols);
        }
        if (data == null || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("data must hold rows * cols = " + ((long) rows * cols)
                    + " floats, got " + (data == null ? "null" : data.length));
        }
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[rows * cols]);
    }

    /** Entries drawn uniformly from {@code [-scale, scale)} by a generator seeded with {@code seed}. */
    public static FloatMatrix random(int rows, int cols, long seed, double scale) {
        return random(rows, cols, new SplittableRandom(seed), scale);
    }

    public static FloatMatrix random(int rows, int cols, SplittableRandom rng, double scale) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return new FloatMatrix(rows, cols, data);
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** Largest |a - b| over all entries. */
    public double maxAbsDiff(FloatMatrix other) {
        requireSameShape(other);
        double max = 0;
        for (int i = 0; i < data.length; i++) {
            max = Math.max(max, Math.abs(data[i] - other.data[i]));
        }
        return max;
    }

    /** Largest |a - b| over the largest |b| (the reference is {@code other}); 0 when both are zero. */
    public double maxRelDiff(FloatMatrix reference) {
        requireSameShape(reference);
        double scale = 0;
        for (float v : reference.data) {
            scale = Math.max(scale, Math.abs(v));
        }
        double diff = maxAbsDiff(reference);
        return scale == 0 ? diff : diff / scale;
    }

    private void requireSameShape(FloatMatrix other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols + " vs " + other.rows + "x" + other.cols);
        }
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + "]";
    }
}
