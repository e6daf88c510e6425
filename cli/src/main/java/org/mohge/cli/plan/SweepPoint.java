package org.mohge.cli.plan;

import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;

/**
 * One design of a sweep, with every varied value resolved (axes absent from the sweep take the
 * base scenario's value). {@code index} is its place in the enumeration order and {@code id}
 * ({@code p0001}, ...) is derived from it; {@code layout} is the index on the groups axis, or -1
 * for the base scenario's layout. {@code groups}, {@code topGroups} and {@code topExpertsPerGroup}
 * are null when the base model is not a grouped MoE. {@code parallel} is the point's parallel layout
 * in a training sweep (a base with a {@code training} section), null otherwise. Plain data, so a
 * point travels as JSON (to a Spark worker, or into the resume file).
 */
public record SweepPoint(String id, int index, String label, String gpu, int nodes, int gpusPerNode,
                         long tokensPerStep, int layout, List<ExpertGroup> groups, Integer topGroups,
                         Integer topExpertsPerGroup, double groupBias, double intraGroupBalance, String placement,
                         LayoutPoint parallel) {

    public SweepPoint {
        groups = groups == null ? null : List.copyOf(groups);
    }

    /** A point of a sweep of the expert-parallel layer model (no parallel layout). */
    public SweepPoint(String id, int index, String label, String gpu, int nodes, int gpusPerNode,
                      long tokensPerStep, int layout, List<ExpertGroup> groups, Integer topGroups,
                      Integer topExpertsPerGroup, double groupBias, double intraGroupBalance, String placement) {
        this(id, index, label, gpu, nodes, gpusPerNode, tokensPerStep, layout, groups, topGroups, topExpertsPerGroup,
                groupBias, intraGroupBalance, placement, null);
    }

    public int gpuCount() {
        return nodes * gpusPerNode;
    }
}
