package org.mohge.cli.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;

/**
 * The points of a sweep: the cross product of its axes in a fixed order (gpu, nodes, gpusPerNode,
 * tokensPerStep, groups, topGroups, topExpertsPerGroup, groupBias, intraGroupBalance, placement;
 * the last axis varies fastest), numbered from 1.
 */
public final class SweepPoints {
    private SweepPoints() {
    }

    /**
     * @param sweepFile the sweep's path, for error messages
     * @throws ScenarioException when an axis does not apply to the base scenario or a GPU has no price
     */
    public static List<SweepPoint> enumerate(SweepSpec sweep, ScenarioSpec base, Path sweepFile) {
        SweepAxes a = sweep.axes();
        if (base.hasLayout()) {
            return TrainingSweepPoints.enumerate(sweep, base, sweepFile);
        }
        if (a.variesLayout()) {
            throw new ScenarioException(sweepFile + ": axes.tp, pp, vp, ep, microBatchSize and recompute need a base "
                    + "scenario with a training section (a parallel layout to vary)");
        }
        GroupedMoe grouped = base.model().moe() instanceof GroupedMoe g ? g : null;
        if (grouped == null) {
            for (String axis : List.of("groups", "topGroups", "topExpertsPerGroup", "groupBias", "intraGroupBalance")) {
                if (a.has(axis)) {
                    throw new ScenarioException(sweepFile + ": axes." + axis + " needs a grouped (MoHGE) base model, "
                            + "the base's moe is '" + base.model().moe().kind() + "'");
                }
            }
        }
        List<String> gpus = GpuPrices.gpusOf(sweep, base, sweepFile);
        List<Integer> nodes = SweepAxes.orBase(a.nodes(), base.cluster().nodes());
        List<Integer> perNode = SweepAxes.orBase(a.gpusPerNode(), base.cluster().gpusPerNode());
        List<Long> tokens = SweepAxes.orBase(a.tokensPerStep(), base.workload().tokensPerStep());
        int layouts = a.groups().isEmpty() ? 1 : a.groups().size();
        List<Integer> topGroups = grouped == null ? nullList() : SweepAxes.orBase(a.topGroups(), grouped.topGroups());
        List<Integer> topExperts = grouped == null ? nullList()
                : SweepAxes.orBase(a.topExpertsPerGroup(), grouped.topExpertsPerGroup());
        List<Double> bias = SweepAxes.orBase(a.groupBias(), base.routing().groupBias());
        List<Double> balance = SweepAxes.orBase(a.intraGroupBalance(), base.routing().intraGroupBalance());
        List<String> placements = SweepAxes.orBase(a.placement(), base.placement().use());
        long total = (long) gpus.size() * nodes.size() * perNode.size() * tokens.size() * layouts * topGroups.size()
                * topExperts.size() * bias.size() * balance.size() * placements.size();
        if (total > 100_000) {
            throw new ScenarioException(sweepFile + ": axes give " + total + " points, more than 100000: split the sweep");
        }
        int width = Math.max(4, Long.toString(total).length());
        List<SweepPoint> points = new ArrayList<>((int) total);
        for (String gpu : gpus) {
            for (int n : nodes) {
                for (int g : perNode) {
                    for (long t : tokens) {
                        for (int l = 0; l < layouts; l++) {
                            List<ExpertGroup> groups = grouped == null ? null
                                    : a.groups().isEmpty() ? grouped.groups() : a.groups().get(l);
                            int layout = a.groups().isEmpty() ? -1 : l;
                            for (Integer tg : topGroups) {
                                for (Integer te : topExperts) {
                                    for (double b : bias) {
                                        for (double ib : balance) {
                                            for (String p : placements) {
                                                int index = points.size() + 1;
                                                String id = String.format(java.util.Locale.ROOT, "p%0" + width + "d",
                                                        index);
                                                String label = label(a, gpu, n, g, t, layout, tg, te, b, ib, p);
                                                points.add(new SweepPoint(id, index, label, gpu, n, g, t, layout,
                                                        groups, tg, te, b, ib, p));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return points;
    }

    /** The point in words: GPU and cluster always, other values only where the sweep varies them. */
    static String label(SweepAxes a, String gpu, int nodes, int perNode, long tokens, int layout, Integer topGroups,
                        Integer topExperts, double bias, double balance, String placement) {
        StringBuilder sb = new StringBuilder(gpu).append(' ').append(nodes).append('x').append(perNode);
        if (!a.tokensPerStep().isEmpty()) {
            sb.append(", ").append(tokens).append(" tokens/step");
        }
        if (!a.groups().isEmpty()) {
            List<ExpertGroup> groups = a.groups().get(layout);
            sb.append(", layout ").append(layout).append(" (").append(groups.get(0).expertHidden()).append("..")
                    .append(groups.get(groups.size() - 1).expertHidden()).append(')');
        }
        if (!a.topGroups().isEmpty() || !a.topExpertsPerGroup().isEmpty()) {
            sb.append(", top ").append(topGroups).append('x').append(topExperts);
        }
        if (!a.groupBias().isEmpty()) {
            sb.append(", bias ").append(Numbers.plain(bias));
        }
        if (!a.intraGroupBalance().isEmpty()) {
            sb.append(", balance ").append(Numbers.plain(balance));
        }
        sb.append(", ").append(placement);
        return sb.toString();
    }


    private static List<Integer> nullList() {
        List<Integer> list = new ArrayList<>();
        list.add(null);
        return list;
    }
}
