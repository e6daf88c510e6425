package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.evaluation.PlacementEvaluator;

/**
 * {@link Replacement} for every profiled MoE layer: each layer re-placed from its own loads and the
 * map it uses now, within {@code maxMovesPerLayer} moves. Layers are re-placed one after another over
 * the same links, so the transfer times add up.
 */
public final class LayeredReplacement {
    private LayeredReplacement() {
    }

    /** The re-placement of every profiled layer: {@code layers.get(i)} is the MoE layer of {@code perLayer.get(i)}. */
    public record Result(List<Integer> layers, List<Replacement.Result> perLayer) {
        public Result {
            layers = List.copyOf(layers);
            perLayer = List.copyOf(perLayer);
        }

        /** The new maps, one per profiled layer. */
        public LayeredPlacement placement() {
            List<Placement> maps = new ArrayList<>(perLayer.size());
            perLayer.forEach(r -> maps.add(r.placement()));
            return LayeredPlacement.of("replaced", layers, maps);
        }

        public int expertsMoved() {
            return perLayer.stream().mapToInt(Replacement.Result::expertsMoved).sum();
        }

        public double bytesMoved() {
            return perLayer.stream().mapToDouble(Replacement.Result::bytesMoved).sum();
        }

        public double transferUs() {
            return perLayer.stream().mapToDouble(Replacement.Result::transferUs).sum();
        }
    }

    public static Result replace(PlacementProblem problem, CostModel costModel, LayeredPlacement current,
                                 int maxMovesPerLayer) {
        List<Integer> numbers = new ArrayList<>(problem.layerCount());
        List<Replacement.Result> results = new ArrayList<>(problem.layerCount());
        for (int l = 0; l < problem.layerCount(); l++) {
            PlacementProblem layer = problem.forLayer(l);
            int number = problem.loads().layers().get(l).layer();
            results.add(new Replacement(new PlacementEvaluator(layer, costModel))
                    .replace(current.placementFor(number), maxMovesPerLayer));
            numbers.add(number);
        }
        return new Result(numbers, results);
    }
}
