package org.mohge.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;

/**
 * Places every profiled MoE layer from its own loads ({@link PlacementProblem#forLayer}), each
 * layer with every requested strategy, the layers in parallel on {@code threads} threads. Each
 * layer's search depends only on its problem and seed, and results are collected by layer index,
 * so the output does not depend on the thread count or on scheduling.
 */
public final class LayeredPlacementRunner {
    private final PlacementProblem problem;
    private final CostModel costModel;
    private final int threads;

    public LayeredPlacementRunner(PlacementProblem problem, CostModel costModel, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.problem = problem;
        this.costModel = costModel;
        this.threads = threads;
    }

    /** Runs the named strategies on every layer; {@code progress} receives progress lines (from any thread). */
    public LayeredComparison run(List<String> strategies, Consumer<String> progress) {
        int layers = problem.layerCount();
        List<PlacementComparison> perLayer = new ArrayList<>(layers);
        if (layers == 1 || threads == 1) {
            for (int l = 0; l < layers; l++) {
                perLayer.add(runLayer(l, strategies, progress));
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, layers));
            try {
                List<Future<PlacementComparison>> futures = new ArrayList<>(layers);
                for (int l = 0; l < layers; l++) {
                    int layer = l;
                    futures.add(pool.submit(() -> runLayer(layer, strategies, progress)));
                }
                for (Future<PlacementComparison> f : futures) {
                    perLayer.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while placing layers", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        List<Integer> numbers = new ArrayList<>(layers);
        problem.loads().layers().forEach(l -> numbers.add(l.layer()));
        return new LayeredComparison(numbers, perLayer);
    }

    private PlacementComparison runLayer(int layer, List<String> strategies, Consumer<String> progress) {
        String prefix = problem.layerCount() > 1 ? "layer " + problem.loads().layers().get(layer).layer() + ": " : "";
        return new PlacementRunner(problem.forLayer(layer), costModel).run(strategies,
                line -> progress.accept(prefix + line));
    }

    /**
     * Every strategy on every layer: {@code layerNumbers.get(i)} is the MoE layer of
     * {@code perLayer.get(i)}; each comparison lists the strategies in request order.
     */
    public record LayeredComparison(List<Integer> layerNumbers, List<PlacementComparison> perLayer) {
        public LayeredComparison {
            layerNumbers = List.copyOf(layerNumbers);
            perLayer = List.copyOf(perLayer);
        }

        public List<String> strategies() {
            return perLayer.get(0).results().stream().map(PlacementResult::strategy).toList();
        }

        /** One strategy's maps, one per layer. */
        public LayeredPlacement placement(String strategy) {
            List<Placement> maps = new ArrayList<>();
            for (PlacementComparison c : perLayer) {
                maps.add(c.result(strategy).placement());
            }
            return LayeredPlacement.of(strategy, layerNumbers, maps);
        }

        /** Per layer, one strategy's result. */
        public List<PlacementResult> results(String strategy) {
            return perLayer.stream().map(c -> c.result(strategy)).toList();
        }

        /** Mean over layers of the strategy's slowest-GPU expert time. */
        public double meanMaxGpuTimeUs(String strategy) {
            return results(strategy).stream().mapToDouble(r -> r.evaluation().maxGpuTimeUs()).average().orElse(0);
        }

        /** True when the strategy's map is feasible on every layer. */
        public boolean feasible(String strategy) {
            return results(strategy).stream().allMatch(r -> r.evaluation().feasible());
        }

        /** Mean over layers of the strategy's predicted layer time. */
        public double meanLayerTimeUs(String strategy) {
            return results(strategy).stream().mapToDouble(r -> r.evaluation().layerTimeUs()).average().orElse(0);
        }

        /**
         * The strategy feasible on every layer, then with the shortest mean layer time (as
         * {@link PlacementComparison#best} ranks one layer); ties keep request order.
         */
        public String best() {
            String best = null;
            for (String s : strategies()) {
                if (best == null || feasible(s) && !feasible(best)
                        || feasible(s) == feasible(best) && meanLayerTimeUs(s) < meanLayerTimeUs(best)) {
                    best = s;
                }
            }
            return best;
        }
    }
}
