package org.mohge.sim.program;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.LayerStage;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.cost.StepStage;
import org.mohge.sim.core.OpKind;
import org.mohge.sim.core.StepProgram;
import org.mohge.sim.traffic.MoeLayerWork;
import org.mohge.sim.traffic.TrafficAccountant;

/**
 * Builds the ops of one unit (a micro-batch, or half of one with dual-batch overlap) on every GPU
 * of an expert-parallel cluster: per layer attention -> (dense FFN | router -> permute -> dispatch
 * -> experts -> combine -> un-permute, with the shared experts beside the dispatch), then the LM
 * head; training adds the backward in reverse (every compute op twice its forward time, each
 * all-to-all of the backward moving the bytes of its forward twin the other way). Prices come
 * from {@link LayerOps}, cached per token count; routed work from the {@link TrafficAccountant}.
 */
public final class ExpertParallelProgramBuilder {
    /** Stage label of the final norm and LM head. */

    private final ModelSpec model;
    private final LayerOps ops;
    private final TrafficAccountant traffic;
    private final boolean training;
    private final int gpus;
    private final double meanContext;
    private final Map<String, Map<Double, OpCost>> priceCache = new HashMap<>();

    public ExpertParallelProgramBuilder(LayerOps ops, TrafficAccountant traffic, boolean training, int gpus,
                                        int sequenceLength) {
        this.model = ops.model();
        this.ops = ops;
        this.traffic = traffic;
        this.training = training;
        this.gpus = gpus;
        this.meanContext = FlopAccounting.causalMeanContext(sequenceLength);
    }

    /** Adds one unit's forward (and backward) pass after ops {@code after}; returns its last op. */
    public int addUnit(StepProgram p, int unit, long[] tokens, double[][] counts, int[] after) {
        int layers = model.layers();
        int dense = model.denseLayers();
        long[] attention = perGpu("attention", tokens, t -> ops.attention(t, meanContext));
        long[] router = perGpu("router", tokens, ops::router);
        long[] shared = perGpu("shared", tokens, ops::sharedExperts);
        long[] denseFfn = dense > 0 ? perGpu("dense", tokens, ops::denseFfn) : null;
        long[] lmHead = perGpu("lmhead", tokens, ops::lmHead);
        boolean hasShared = anyPositive(shared);
        MoeLayerWork[] work = new MoeLayerWork[layers];
        int[] last = after;
        for (int l = 0; l < layers; l++) {
            int a = p.add(OpKind.COMPUTE, LayerStage.ATTENTION, l, unit, false, attention, last);
            if (l < dense) {
                int f = p.add(OpKind.COMPUTE, LayerStage.DENSE_FFN, l, unit, false, denseFfn, a);
                last = new int[] {f};
                continue;
            }
            MoeLayerWork w = traffic.moeLayer(l - dense, tokens, counts[l - dense]);
            work[l] = w;
            int r = p.add(OpKind.COMPUTE, LayerStage.ROUTER, l, unit, false, router, a);
            int pm = p.add(OpKind.COMPUTE, LayerStage.PERMUTE, l, unit, false, w.permuteNs(), r);
            int s = hasShared ? p.add(OpKind.COMPUTE, LayerStage.SHARED_EXPERTS, l, unit, false, shared, pm) : -1;
            int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, l, unit, false, w.dispatchNs(), pm);
            int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS, l, unit, false, w.expertsNs(), d);
            int c = p.add(OpKind.COLLECTIVE, LayerStage.COMBINE, l, unit, false, w.combineNs(), e);
            int u = hasShared
                    ? p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE, l, unit, false, w.unpermuteNs(), c, s)
                    : p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE, l, unit, false, w.unpermuteNs(), c);
            last = new int[] {u};
        }
        int head = p.add(OpKind.COMPUTE, StepStage.LM_HEAD, -1, unit, false, lmHead, last);
        if (!training) {
            return head;
        }
        int back = p.add(OpKind.COMPUTE, StepStage.LM_HEAD, -1, unit, true, times(lmHead, 2), head);
        for (int l = layers - 1; l >= 0; l--) {
            int prev = back;
            if (l < dense) {
                int f = p.add(OpKind.COMPUTE, LayerStage.DENSE_FFN, l, unit, true, times(denseFfn, 2), prev);
                back = p.add(OpKind.COMPUTE, LayerStage.ATTENTION, l, unit, true, times(attention, 2), f);
                continue;
            }
            MoeLayerWork w = work[l];
            int u = p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE, l, unit, true, times(w.unpermuteNs(), 2), prev);
            int s = hasShared ? p.add(OpKind.COMPUTE, LayerStage.SHARED_EXPERTS, l, unit, true, times(shared, 2), u) : -1;
            // Gradients of the combine travel like a dispatch (token owner -> expert), and vice versa.
            int c = p.add(OpKind.COLLECTIVE, LayerStage.COMBINE, l, unit, true, w.dispatchNs(), u);
            int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS, l, unit, true, times(w.expertsNs(), 2), c);
            int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, l, unit, true, w.combineNs(), e);
            int pm = hasShared
                    ? p.add(OpKind.COMPUTE, LayerStage.PERMUTE, l, unit, true, times(w.permuteNs(), 2), d, s)
                    : p.add(OpKind.COMPUTE, LayerStage.PERMUTE, l, unit, true, times(w.permuteNs(), 2), d);
            int r = p.add(OpKind.COMPUTE, LayerStage.ROUTER, l, unit, true, times(router, 2), pm);
            back = p.add(OpKind.COMPUTE, LayerStage.ATTENTION, l, unit, true, times(attention, 2), r);
        }
        return back;
    }

    private long[] perGpu(String kind, long[] tokens, DoubleFunction<OpCost> price) {
        Map<Double, OpCost> cache = priceCache.computeIfAbsent(kind, k -> new HashMap<>());
        long[] ns = new long[gpus];
        for (int g = 0; g < gpus; g++) {
            OpCost cost = cache.computeIfAbsent((double) tokens[g], price::apply);
            ns[g] = Math.round(cost.timeUs() * 1000.0);
        }
        return ns;
    }

    private static long[] times(long[] ns, double factor) {
        long[] out = new long[ns.length];
        for (int i = 0; i < ns.length; i++) {
            out[i] = Math.round(ns[i] * factor);
        }
        return out;
    }

    private static boolean anyPositive(long[] ns) {
        for (long v : ns) {
            if (v > 0) {
                return true;
            }
        }
        return false;
    }
}
