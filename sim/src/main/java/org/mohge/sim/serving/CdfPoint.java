package org.mohge.sim.serving;

/** A point of an empirical distribution: {@code fraction} of the values are at most {@code valueMs}. */
public record CdfPoint(double valueMs, double fraction) {
}
