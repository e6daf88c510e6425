package org.mohge.placement;

import java.util.List;
import org.mohge.placement.solver.FastStrategy;
import org.mohge.placement.solver.OptaPlannerStrategy;
import org.mohge.placement.strategy.ContiguousStrategy;
import org.mohge.placement.strategy.EplbStrategy;
import org.mohge.placement.strategy.GreedyStrategy;
import org.mohge.placement.strategy.GroupDecoupledStrategy;
import org.mohge.placement.strategy.HierarchicalStrategy;
import org.mohge.placement.strategy.PlacementStrategy;
import org.mohge.placement.strategy.ReplicateStrategy;

/** The strategies by scenario name. */
public final class PlacementStrategies {
    public static final List<String> NAMES = List.of(ContiguousStrategy.NAME, GroupDecoupledStrategy.NAME,
            GreedyStrategy.NAME, ReplicateStrategy.NAME, EplbStrategy.NAME, HierarchicalStrategy.NAME, FastStrategy.NAME,
            OptaPlannerStrategy.NAME);

    private PlacementStrategies() {
    }

    public static PlacementStrategy byName(String name) {
        return switch (name) {
            case ContiguousStrategy.NAME -> new ContiguousStrategy();
            case GroupDecoupledStrategy.NAME -> new GroupDecoupledStrategy();
            case GreedyStrategy.NAME -> new GreedyStrategy();
            case ReplicateStrategy.NAME -> new ReplicateStrategy();
            case EplbStrategy.NAME -> new EplbStrategy();
            case HierarchicalStrategy.NAME -> new HierarchicalStrategy();
            case FastStrategy.NAME -> new FastStrategy();
            case OptaPlannerStrategy.NAME -> new OptaPlannerStrategy();
            default -> throw new IllegalArgumentException("unknown placement strategy '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
