package org.mohge.gpu.api;

/** Result of one forward pass: output {@code Y [T x d]}, the routing taken, and timings. */
public record LayerRun(String backend, FloatMatrix output, Routing routing, StageTimings timings) {
}
