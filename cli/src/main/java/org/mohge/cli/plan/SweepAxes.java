package org.mohge.cli.plan;

import java.util.HashSet;
import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.parallel.Recompute;
import org.mohge.costmodel.spec.Require;

/**
 * The values a sweep varies. Every axis is optional (absent: the base scenario's value) and,
 * when present, a non-empty list without repeats. {@code groups} lists alternative expert-group
 * layouts (each one a {@code groups} list as in a scenario's grouped {@code moe}); {@code placement}
 * lists placement strategies. {@code tp}, {@code pp}, {@code vp}, {@code ep}, {@code microBatchSize}
 * and {@code recompute} vary the parallel layout of a training sweep (a base scenario with a
 * {@code training} section).
 */
public record SweepAxes(List<String> gpu, List<Integer> nodes, List<Integer> gpusPerNode, List<Long> tokensPerStep,
                        List<List<ExpertGroup>> groups, List<Integer> topGroups, List<Integer> topExpertsPerGroup,
                        List<Double> groupBias, List<Double> intraGroupBalance, List<String> placement,
                        List<Integer> tp, List<Integer> pp, List<Integer> vp, List<Integer> ep,
                        List<Integer> microBatchSize, List<Recompute> recompute) {

    /** Strategies whose result does not depend on wall-clock time (the OptaPlanner search stops on time). */
    public static final List<String> STRATEGIES = List.of(Placements.CONTIGUOUS, Placements.GROUP_DECOUPLED,
            "greedy", "replicate");

    public SweepAxes {
        gpu = axis(gpu, "gpu");
        for (int i = 0; i < gpu.size(); i++) {
            String name = gpu.get(i);
            Require.check(GpuCatalog.find(name).isPresent(), "gpu[" + i + "]",
                    "must be one of " + String.join(", ", GpuCatalog.names()) + ", got '" + name + "'");
        }
        nodes = axis(nodes, "nodes");
        for (int i = 0; i < nodes.size(); i++) {
            Require.positive(nodes.get(i), "nodes[" + i + "]");
        }
        gpusPerNode = axis(gpusPerNode, "gpusPerNode");
        for (int i = 0; i < gpusPerNode.size(); i++) {
            Require.positive(gpusPerNode.get(i), "gpusPerNode[" + i + "]");
        }
        tokensPerStep = axis(tokensPerStep, "tokensPerStep");
        for (int i = 0; i < tokensPerStep.size(); i++) {
            Require.positive(tokensPerStep.get(i), "tokensPerStep[" + i + "]");
        }
        groups = axis(groups, "groups");
        for (int i = 0; i < groups.size(); i++) {
            List<ExpertGroup> layout = Require.nonEmpty(groups.get(i), "groups[" + i + "]");
            for (int g = 1; g < layout.size(); g++) {
                Require.check(layout.get(g).expertHidden() > layout.get(g - 1).expertHidden(),
                        "groups[" + i + "][" + g + "].expertHidden", "must be larger than groups[" + i + "][" + (g - 1)
                                + "].expertHidden: groups are listed from the smallest experts up, got "
                                + layout.get(g).expertHidden());
            }
        }
        topGroups = axis(topGroups, "topGroups");
        for (int i = 0; i < topGroups.size(); i++) {
            Require.positive(topGroups.get(i), "topGroups[" + i + "]");
        }
        topExpertsPerGroup = axis(topExpertsPerGroup, "topExpertsPerGroup");
        for (int i = 0; i < topExpertsPerGroup.size(); i++) {
            Require.positive(topExpertsPerGroup.get(i), "topExpertsPerGroup[" + i + "]");
        }
        groupBias = axis(groupBias, "groupBias");
        for (int i = 0; i < groupBias.size(); i++) {
            Require.nonNegative(groupBias.get(i), "groupBias[" + i + "]");
            Require.check(groupBias.get(i) <= org.mohge.sim.routing.RoutingSpec.MAX_LOGIT_KNOB, "groupBias[" + i + "]",
                    "must be at most " + org.mohge.sim.routing.RoutingSpec.MAX_LOGIT_KNOB + " (the router's softmax "
                            + "saturates there, so larger values change nothing), got " + groupBias.get(i));
        }
        intraGroupBalance = axis(intraGroupBalance, "intraGroupBalance");
        for (int i = 0; i < intraGroupBalance.size(); i++) {
            Require.inRange(intraGroupBalance.get(i), 0, 1, "intraGroupBalance[" + i + "]");
        }
        placement = axis(placement, "placement");
        for (int i = 0; i < placement.size(); i++) {
            String name = placement.get(i);
            Require.check(!name.equals("optaplanner"),
                    "placement[" + i + "]", "must not be 'optaplanner': its search stops on wall-clock time, so a "
                            + "sweep could not give the same results twice (use " + String.join(", ", STRATEGIES)
                            + ")");
            Require.check(STRATEGIES.contains(name), "placement[" + i + "]",
                    "must be one of " + String.join(", ", STRATEGIES) + ", got '" + name + "'");
        }
        tp = positiveAxis(tp, "tp");
        pp = positiveAxis(pp, "pp");
        vp = positiveAxis(vp, "vp");
        ep = positiveAxis(ep, "ep");
        microBatchSize = positiveAxis(microBatchSize, "microBatchSize");
        recompute = axis(recompute, "recompute");
        for (int i = 0; i < recompute.size(); i++) {
            Require.present(recompute.get(i), "recompute[" + i + "]");
        }
    }

    public static SweepAxes none() {
        return new SweepAxes(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Whether any parallel-layout axis (tp, pp, vp, ep, microBatchSize, recompute) is given. */
    public boolean variesLayout() {
        return !tp.isEmpty() || !pp.isEmpty() || !vp.isEmpty() || !ep.isEmpty() || !microBatchSize.isEmpty()
                || !recompute.isEmpty();
    }

    /** Whether the axis named as in the sweep file (e.g. {@code "topGroups"}) is given. */
    public boolean has(String axis) {
        List<?> values = switch (axis) {
            case "gpu" -> gpu;
            case "nodes" -> nodes;
            case "gpusPerNode" -> gpusPerNode;
            case "tokensPerStep" -> tokensPerStep;
            case "groups" -> groups;
            case "topGroups" -> topGroups;
            case "topExpertsPerGroup" -> topExpertsPerGroup;
            case "groupBias" -> groupBias;
            case "intraGroupBalance" -> intraGroupBalance;
            case "placement" -> placement;
            case "tp" -> tp;
            case "pp" -> pp;
            case "vp" -> vp;
            case "ep" -> ep;
            case "microBatchSize" -> microBatchSize;
            case "recompute" -> recompute;
            default -> throw new IllegalArgumentException("no sweep axis '" + axis + "'");
        };
        return !values.isEmpty();
    }

    private static List<Integer> positiveAxis(List<Integer> values, String field) {
        List<Integer> list = axis(values, field);
        for (int i = 0; i < list.size(); i++) {
            Require.present(list.get(i), field + "[" + i + "]");
            Require.positive(list.get(i), field + "[" + i + "]");
        }
        return list;
    }

    /** An absent axis is an empty list (the base value); a present one must be non-empty without repeats. */
    private static <T> List<T> axis(List<T> values, String field) {
        if (values == null) {
            return List.of();
        }
        List<T> list = Require.nonEmpty(values, field);
        HashSet<T> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Require.check(seen.add(list.get(i)), field + "[" + i + "]", "repeats an earlier value (" + list.get(i) + ")");
        }
        return list;
    }

    /** An axis's values, or the base scenario's one value where the axis is not swept. */
    static <T> List<T> orBase(List<T> axis, T base) {
        return axis.isEmpty() ? List.of(base) : axis;
    }
}
