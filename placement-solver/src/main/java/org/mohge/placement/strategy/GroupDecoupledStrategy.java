package org.mohge.placement.strategy;

import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;

/** The MoHGE paper's All-size Group-decoupling Allocation ({@link Placements#groupDecoupled}). */
public final class GroupDecoupledStrategy implements PlacementStrategy {
    public static final String NAME = Placements.GROUP_DECOUPLED;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        return Placements.groupDecoupled(context.problem().model().moe(), context.problem().gpuCount());
    }
}
