package org.mohge.placement.strategy;

import org.mohge.costmodel.deploy.Placement;

/** One way of placing experts on GPUs; {@link #name()} is its scenario name. */
public interface PlacementStrategy {

    String name();

    Placement place(PlacementContext context);
}
