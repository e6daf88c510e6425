package org.mohge.placement.persistence;

import java.util.List;
import org.mohge.placement.CoActivation;
import org.mohge.placement.PlacementProblem;

/**
 * Node layout and co-activation weights for the planning model: {@code usPerToken} is the NIC time
 * one co-activated token (per step) costs when its experts sit on different nodes.
 */
public record Locality(int gpusPerNode, List<CoActivation> pairs, double usPerToken) {

    public Locality {
        pairs = List.copyOf(pairs);
    }

    /** One node, no weights: locality plays no part. */
    public static Locality none(int gpus) {
        return new Locality(gpus, List.of(), 0);
    }

    public static Locality of(PlacementProblem problem) {
        double nicBytesPerUs = problem.cluster().nicGBps() * 1e3;
        return new Locality(problem.cluster().gpusPerNode(), problem.coActivation(),
                problem.bytesPerSplitCoActivation() / nicBytesPerUs);
    }
}
