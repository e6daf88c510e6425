package org.mohge.sim.bench;

/**
 * One measured benchmark figure: what was measured, its value and unit, and the line a person
 * reads. Benchmarks return these so the CLI can print text or JSON from the same run.
 */
public record BenchFigure(String name, double value, String unit, String line) {
}
