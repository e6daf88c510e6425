package org.mohge.sim.routing;

import java.util.Arrays;

/**
 * Systematic sampling precomputed: for each row of cumulative inclusion sums (n + 1 values from 0
 * to k), the uniform {@code u} in [0, 1) decides the whole selection (the units where
 * {@code u, u + 1, ..., u + k - 1} fall), and the selection only changes where u crosses the
 * fractional part of a cumulative sum. So [0, 1) splits into at most n + 1 intervals, each with
 * a fixed set of k units; a draw is one uniform, one guided interval lookup and k ids. Each
 * interval's length is the probability of its set, so every unit keeps its inclusion
 * probability exactly.
 */
final class SystematicTable {
    private final int k;
    private final int[] rowStart;
    private final int[] rowIntervals;
    private final double[] breakpoints;
    /** Unit ids, k per interval. */
    private final int[] selection;
    private final int[] guideStart;
    private final int[] guideCells;
    private final int[] guide;

    /**
     * @param cum  {@code rows * (n + 1)} cumulative sums, each row from 0 to exactly k
     * @param ids  the id reported for local unit j
     */
    SystematicTable(double[] cum, int rows, int n, int k, int[] ids) {
        this.k = k;
        rowStart = new int[rows];
        rowIntervals = new int[rows];
        guideStart = new int[rows];
        guideCells = new int[rows];
        double[][] bps = new double[rows][];
        int totalIntervals = 0;
        int totalCells = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * (n + 1);
            double[] fr = new double[n + 1];
            int m = 0;
            for (int i = 0; i <= n; i++) {
                double f = cum[off + i] - Math.floor(cum[off + i]);
                fr[m++] = f >= 1 ? 0 : f;
            }
            Arrays.sort(fr, 0, m);
            double[] distinct = new double[m + 1];
            int d = 0;
            distinct[d++] = 0;
            for (int i = 0; i < m; i++) {
                if (fr[i] > distinct[d - 1]) {
                    distinct[d++] = fr[i];
                }
            }
            bps[r] = Arrays.copyOf(distinct, d);
            rowStart[r] = totalIntervals;
            rowIntervals[r] = d;
            totalIntervals += d;
            guideStart[r] = totalCells;
            guideCells[r] = d * (d <= 65 ? 16 : 4);
            totalCells += guideCells[r];
        }
        breakpoints = new double[totalIntervals];
        selection = new int[totalIntervals * k];
        guide = new int[totalCells];
        for (int r = 0; r < rows; r++) {
            int off = r * (n + 1);
            double[] bp = bps[r];
            int d = bp.length;
            System.arraycopy(bp, 0, breakpoints, rowStart[r], d);
            for (int j = 0; j < d; j++) {
                double end = j + 1 < d ? bp[j + 1] : 1.0;
                double u = 0.5 * (bp[j] + end);
                int lo = 0;
                for (int m = 0; m < k; m++) {
                    int i = Inclusion.search(cum, off, lo, n, u + m);
                    selection[(rowStart[r] + j) * k + m] = ids[i];
                    lo = i + 1 < n ? i + 1 : i;
                }
            }
            int cells = guideCells[r];
            int j = 0;
            for (int c = 0; c < cells; c++) {
                double u = (double) c / cells;
                while (j + 1 < d && bp[j + 1] <= u) {
                    j++;
                }
                guide[guideStart[r] + c] = j;
            }
        }
    }

    /** Offset in {@link #selection()} of the k ids selected by uniform {@code u} in row {@code row}. */
    int pick(int row, double u) {
        int cells = guideCells[row];
        int j = guide[guideStart[row] + (int) (u * cells)];
        int start = rowStart[row];
        int last = rowIntervals[row] - 1;
        while (j < last && breakpoints[start + j + 1] <= u) {
            j++;
        }
        return (start + j) * k;
    }

    int[] selection() {
        return selection;
    }

    int k() {
        return k;
    }
}
