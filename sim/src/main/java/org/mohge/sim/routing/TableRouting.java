package org.mohge.sim.routing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Routing from per-layer {@link SelectionTable}s (the synthetic router, or a replayed expert-count
 * trace), at one of two fidelities.
 * <ul>
 *   <li>{@code exact}: every token draws a difficulty bin once per micro-batch (shared by all its
 *       layers) and then, in every layer, the experts it takes.</li>
 *   <li>{@code aggregate}: per source GPU and layer, the copies per expert are drawn at once from
 *       the multinomial with the table's mean inclusion probabilities.</li>
 * </ul>
 * Both have the same expected counts. Layers are routed in parallel from independent seeded
 * streams, so the result does not depend on the number of threads.
 */
public final class TableRouting implements RoutingModel {
    private final int layers;
    private final int experts;
    private final int picks;
    private final boolean exact;
    private final long seed;
    private final SyntheticTables synthetic;
    private final IntFunction<SelectionTable> fixed;
    private List<SelectionTable> current;
    private int currentStep = -1;
    private final double[][] expected;

    private TableRouting(int layers, int experts, int picks, boolean exact, long seed, SyntheticTables synthetic,
                         IntFunction<SelectionTable> fixed) {
        this.layers = layers;
        this.experts = experts;
        this.picks = picks;
        this.exact = exact;
        this.seed = seed;
        this.synthetic = synthetic;
        this.fixed = fixed;
        List<SelectionTable> first = tables(0);
        expected = new double[layers][];
        for (int l = 0; l < layers; l++) {
            expected[l] = first.get(l).meanInclusion();
        }
    }

    static TableRouting synthetic(SyntheticTables tables, int layers, int experts, int picks, boolean exact,
                                  long seed) {
        return new TableRouting(layers, experts, picks, exact, seed, tables, null);
    }

    static TableRouting fixed(IntFunction<SelectionTable> tableOfLayer, int layers, int experts, int picks,
                              boolean exact, long seed) {
        return new TableRouting(layers, experts, picks, exact, seed, null, tableOfLayer);
    }

    private synchronized List<SelectionTable> tables(int step) {
        if (step != currentStep) {
            if (synthetic != null) {
                if (step < synthetic.step()) {
                    throw new IllegalStateException("steps must be routed in order: " + step + " after "
                            + synthetic.step());
                }
                synthetic.advanceTo(step);
                current = SyntheticTables.all(synthetic);
            } else {
                current = IntStream.range(0, layers).mapToObj(fixed).toList();
            }
            currentStep = step;
        }
        return current;
    }

    /** The tables used at step {@code step} (for tests and diagnostics). */
    public SelectionTable table(int step, int layer) {
        return tables(step).get(layer);
    }

    @Override
    public int moeLayers() {
        return layers;
    }

    @Override
    public int experts() {
        return experts;
    }

    @Override
    public int picksPerToken() {
        return picks;
    }

    @Override
    public double[] expectedInclusion(int layer) {
        return expected[layer].clone();
    }

    @Override
    public double[][] route(int step, int microBatch, long[] tokensPerGpu) {
        List<SelectionTable> tables = tables(step);
        int gpus = tokensPerGpu.length;
        double[][] counts = new double[layers][];
        if (exact) {
            byte[] bins = null;
            boolean needBins = tables.stream().anyMatch(SelectionTable::usesDifficulty);
            long total = 0;
            for (long t : tokensPerGpu) {
                total += t;
            }
            if (needBins) {
                if (total > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("exact routing handles at most 2^31 tokens per micro-batch; "
                            + "use fidelity 'aggregate'");
                }
                bins = new byte[(int) total];
                SplittableRandom rng = Rng.stream(seed, Rng.DIFFICULTY, step, microBatch);
                for (int t = 0; t < bins.length; t++) {
                    bins[t] = (byte) rng.nextInt(DifficultyTable.BINS);
                }
            }
            byte[] tokenBins = bins;
            IntStream.range(0, layers).parallel().forEach(l -> {
                SelectionTable table = tables.get(l);
                table.prepare();
                SplittableRandom rng = Rng.stream(seed, Rng.ROUTE, step, microBatch, l);
                double[] c = new double[gpus * experts];
                int token = 0;
                for (int src = 0; src < gpus; src++) {
                    int base = src * experts;
                    for (long t = 0; t < tokensPerGpu[src]; t++, token++) {
                        table.route(rng, tokenBins == null ? 0 : tokenBins[token], c, base);
                    }
                }
                counts[l] = c;
            });
        } else {
            IntStream.range(0, layers).parallel().forEach(l -> {
                double[] p = tables.get(l).meanInclusion();
                for (int e = 0; e < p.length; e++) {
                    p[e] /= picks;
                }
                SplittableRandom rng = Rng.stream(seed, Rng.ROUTE, step, microBatch, l);
                double[] c = new double[gpus * experts];
                for (int src = 0; src < gpus; src++) {
                    Multinomial.sample(rng, tokensPerGpu[src] * picks, p, c, src * experts);
                }
                counts[l] = c;
            });
        }
        return counts;
    }
}
