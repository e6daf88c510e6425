package org.mohge.reports.serving;

import org.mohge.sim.serving.ServingResult;

/** One offered load of a rate sweep and what the deployment did with it. */
public record ServingSweepPoint(double offeredRatePerSecond, ServingResult result, boolean meetsSlo) {
}
