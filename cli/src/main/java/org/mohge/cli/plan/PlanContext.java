package org.mohge.cli.plan;

import java.nio.file.Path;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.sim.routing.RoutingFidelity;

/**
 * What every point of a sweep shares: the base scenario, its file (relative paths in it resolve
 * against its folder), its raw text (shipped to Spark workers) and the sweep's routing-fidelity
 * override (null: the base's).
 */
public record PlanContext(ScenarioSpec base, Path baseFile, String baseText, RoutingFidelity fidelity) {
}
