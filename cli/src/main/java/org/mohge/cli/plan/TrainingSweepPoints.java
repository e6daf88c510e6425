package org.mohge.cli.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.Recompute;

/**
 * The points of a training sweep (a base scenario with a {@code training} section): the cross
 * product of gpu, nodes, gpusPerNode, tp, pp, vp, ep, microBatchSize and recompute (the last
 * varies fastest), numbered from 1. Whether a point's layout is possible is decided when it is
 * evaluated, so an impossible one is listed as {@code invalid} with the rule it breaks.
 */
final class TrainingSweepPoints {
    /** Axes of the expert-parallel layer model, which a training step does not use. */
    private static final List<String> LAYER_MODEL_AXES = List.of("tokensPerStep", "groups", "topGroups",
            "topExpertsPerGroup", "groupBias", "intraGroupBalance", "placement");

    private TrainingSweepPoints() {
    }

    static List<SweepPoint> enumerate(SweepSpec sweep, ScenarioSpec base, Path sweepFile) {
        SweepAxes a = sweep.axes();
        for (String axis : LAYER_MODEL_AXES) {
            if (a.has(axis)) {
                throw new ScenarioException(sweepFile + ": axes." + axis + " does not apply to a training sweep (the "
                        + "base scenario has a training section; vary gpu, nodes, gpusPerNode, tp, pp, vp, ep, "
                        + "microBatchSize, recompute)");
            }
        }
        List<String> gpus = GpuPrices.gpusOf(sweep, base, sweepFile);
        ParallelLayout l = base.layout();
        List<Integer> nodes = SweepAxes.orBase(a.nodes(), base.cluster().nodes());
        List<Integer> perNode = SweepAxes.orBase(a.gpusPerNode(), base.cluster().gpusPerNode());
        List<Integer> tps = SweepAxes.orBase(a.tp(), l.tp());
        List<Integer> pps = SweepAxes.orBase(a.pp(), l.pp());
        List<Integer> vps = SweepAxes.orBase(a.vp(), l.vp());
        List<Integer> eps = SweepAxes.orBase(a.ep(), l.ep());
        List<Integer> mbs = SweepAxes.orBase(a.microBatchSize(), l.microBatchSize());
        List<Recompute> recomputes = SweepAxes.orBase(a.recompute(), l.recompute());
        long total = (long) gpus.size() * nodes.size() * perNode.size() * tps.size() * pps.size() * vps.size()
                * eps.size() * mbs.size() * recomputes.size();
        if (total > 100_000) {
            throw new ScenarioException(sweepFile + ": axes give " + total + " points, more than 100000: split the sweep");
        }
        int width = Math.max(4, Long.toString(total).length());
        long tokensPerStep = base.training().tokensPerStep();
        // A training step places each EP group's experts in contiguous blocks; a dense model has none.
        String placement = base.model().isDense() ? "none" : Placements.CONTIGUOUS;
        List<SweepPoint> points = new ArrayList<>((int) total);
        for (String gpu : gpus) {
            for (int n : nodes) {
                for (int g : perNode) {
                    for (int tp : tps) {
                        for (int pp : pps) {
                            for (int vp : vps) {
                                for (int ep : eps) {
                                    for (int mb : mbs) {
                                        for (Recompute r : recomputes) {
                                            int index = points.size() + 1;
                                            String id = String.format(Locale.ROOT, "p%0" + width + "d", index);
                                            LayoutPoint layout = new LayoutPoint(tp, pp, vp, ep, mb, r);
                                            String label = gpu + " " + n + "x" + g + ", " + layout.label();
                                            points.add(new SweepPoint(id, index, label, gpu, n, g, tokensPerStep, -1,
                                                    null, null, null, base.routing().groupBias(),
                                                    base.routing().intraGroupBalance(), placement, layout));
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

}
