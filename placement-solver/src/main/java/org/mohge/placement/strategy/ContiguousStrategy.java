package org.mohge.placement.strategy;

import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;

/** Standard expert parallelism: experts in model order cut into equal blocks ({@link Placements#contiguous}). */
public final class ContiguousStrategy implements PlacementStrategy {
    public static final String NAME = Placements.CONTIGUOUS;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        return Placements.contiguous(context.problem().model().moe(), context.problem().gpuCount());
    }
}
