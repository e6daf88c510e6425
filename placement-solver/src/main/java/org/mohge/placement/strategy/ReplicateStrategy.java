package org.mohge.placement.strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.evaluation.CopyCostTable;

/**
 * DeepSeek EPLB, made size-aware: give the spare slots one at a time to the expert whose copies
 * are the most loaded (highest predicted time per copy, so a token on a large expert counts for
 * more than one on a small one), then pack all copies heaviest first, each onto the least-loaded
 * GPU that has a free slot (a fixed count per GPU: {@code ceil(copies / gpus)}, or
 * {@code maxExpertsPerGpu} when smaller), HBM room, and no copy of that expert yet. The copies of
 * an expert serve equal shares of its tokens. If the slots or HBM run out, the count, then the HBM
 * rule is relaxed (never the one-copy-per-GPU rule) and the evaluation reports the overflow.
 */
public final class ReplicateStrategy implements PlacementStrategy {
    public static final String NAME = "replicate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Placement place(PlacementContext context) {
        return pack(context.costs(), replicaCounts(context.costs()));
    }

    /** Copies per expert after handing out the spare slots. */
    public static int[] replicaCounts(CopyCostTable costs) {
        int experts = costs.expertCount();
        int[] copies = new int[experts];
        java.util.Arrays.fill(copies, 1);
        for (int s = 0; s < costs.spareSlots(); s++) {
            int best = -1;
            double bestTime = -1;
            for (int e = 0; e < experts; e++) {
                if (copies[e] < costs.maxCopiesPerExpert()) {
                    double t = costs.copyTimeUs(e, copies[e]);
                    if (t > bestTime) {
                        best = e;
                        bestTime = t;
                    }
                }
            }
            if (best < 0 || bestTime <= 0) {
                break;
            }
            copies[best]++;
        }
        return copies;
    }

    private record Copy(int expert, int index, double timeUs, double bytes) {
    }

    /** Packs {@code copies[e]} copies of each expert e, heaviest copy first, a fixed count per GPU. */
    public static Placement pack(CopyCostTable costs, int[] copies) {
        return pack(costs, copies, true);
    }

    /**
     * Packs {@code copies[e]} copies of each expert e, heaviest copy first onto the least-loaded
     * GPU; with {@code fixedCountPerGpu} each GPU takes {@code ceil(copies / gpus)} copies (EPLB),
     * without it only {@code maxExpertsPerGpu} caps the count (a start for the solver).
     */
    public static Placement pack(CopyCostTable costs, int[] copies, boolean fixedCountPerGpu) {
        int experts = costs.expertCount();
        int gpus = costs.gpuCount();
        List<Copy> all = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            for (int c = 0; c < copies[e]; c++) {
                all.add(new Copy(e, c, costs.copyTimeUs(e, copies[e]), costs.copyBytes(e, copies[e])));
            }
        }
        all.sort(Comparator.comparingDouble((Copy c) -> -c.timeUs()).thenComparingInt(Copy::expert)
                .thenComparingInt(Copy::index));
        int perGpu = fixedCountPerGpu ? (all.size() + gpus - 1) / gpus : Integer.MAX_VALUE;
        perGpu = Math.max(1, Math.min(perGpu, costs.maxExpertsPerGpu()));
        double[] load = new double[gpus];
        double[] bytes = new double[gpus];
        int[] count = new int[gpus];
        boolean[][] holds = new boolean[experts][gpus];
        List<List<Integer>> gpusOf = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            gpusOf.add(new ArrayList<>());
        }
        for (Copy copy : all) {
            int best = -1;
            for (int relax = 0; relax < 3 && best < 0; relax++) {
                for (int g = 0; g < gpus; g++) {
                    if (holds[copy.expert()][g]) {
                        continue;
                    }
                    boolean slot = relax >= 2 || count[g] < perGpu;
                    boolean room = relax >= 1 || bytes[g] + copy.bytes() <= costs.expertBudgetBytes();
                    if (slot && room && (best < 0 || load[g] < load[best])) {
                        best = g;
                    }
                }
            }
            holds[copy.expert()][best] = true;
            gpusOf.get(copy.expert()).add(best);
            load[best] += copy.timeUs();
            bytes[best] += copy.bytes();
            count[best]++;
        }
        List<ExpertPlacement> list = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            List<ExpertReplica> replicas = new ArrayList<>();
            List<Integer> held = gpusOf.get(e);
            for (int i = 0; i < held.size(); i++) {
                replicas.add(new ExpertReplica(held.get(i), shareOf(i, held.size())));
            }
            list.add(new ExpertPlacement(e, replicas));
        }
        return new Placement(NAME, gpus, list);
    }

    /** Equal shares whose sum is exactly 1 (the last copy takes the rounding remainder). */
    public static double shareOf(int index, int copies) {
        if (index < copies - 1) {
            return 1.0 / copies;
        }
        return 1.0 - (copies - 1) * (1.0 / copies);
    }
}
