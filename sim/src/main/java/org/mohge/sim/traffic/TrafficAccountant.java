package org.mohge.sim.traffic;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.LayerOps;

/**
 * Turns one unit's routing of one MoE layer, under that layer's expert map, into traffic and work: which GPU sends how many bytes
 * to which (each routed copy once, split over an expert's replicas by share), what each GPU's
 * local experts receive, and the priced permute, expert GEMMs, un-permute and all-to-alls. Every
 * layer's traffic is handed to {@code sink} (the metric collectors) before the work is returned.
 */
public final class TrafficAccountant {
    private List<ExpertMap> mapByMoeLayer;
    private final LayerOps ops;
    private final boolean training;
    private final Consumer<MoeLayerTraffic> sink;
    private final int gpus;
    private final int experts;
    private final double[][] dispatch;

    /** @param mapByMoeLayer the expert map of each MoE layer (one object may serve several layers) */
    public TrafficAccountant(List<ExpertMap> mapByMoeLayer, LayerOps ops, boolean training,
                             Consumer<MoeLayerTraffic> sink) {
        this.mapByMoeLayer = List.copyOf(mapByMoeLayer);
        ExpertMap map = this.mapByMoeLayer.get(0);
        this.ops = ops;
        this.training = training;
        this.sink = sink;
        this.gpus = map.gpus();
        this.experts = map.experts();
        this.dispatch = new double[gpus][gpus];
    }

    /** From now on routes under these maps (a re-placement between steps); same GPUs and experts. */
    public void useMaps(List<ExpertMap> maps) {
        if (maps.size() != mapByMoeLayer.size() || maps.get(0).gpus() != gpus || maps.get(0).experts() != experts) {
            throw new IllegalArgumentException("new maps must cover the same layers, GPUs and experts");
        }
        this.mapByMoeLayer = List.copyOf(maps);
    }

    /** Routes {@code counts} (GPU-major, see {@link MoeLayerTraffic}) of GPUs holding {@code tokens}. */
    public MoeLayerWork moeLayer(int moeLayer, long[] tokens, double[] counts) {
        ExpertMap map = mapByMoeLayer.get(moeLayer);
        for (double[] row : dispatch) {
            Arrays.fill(row, 0);
        }
        double[][] received = new double[gpus][];
        for (int g = 0; g < gpus; g++) {
            received[g] = new double[map.localHidden(g).length];
        }
        double[] sent = new double[gpus];
        double tokenBytes = ops.tokenBytes();
        for (int src = 0; src < gpus; src++) {
            int base = src * experts;
            double[] row = dispatch[src];
            for (int e = 0; e < experts; e++) {
                double c = counts[base + e];
                if (c == 0) {
                    continue;
                }
                sent[src] += c;
                int[] rg = map.replicaGpus(e);
                int[] slots = map.replicaSlots(e);
                if (rg.length == 1) {
                    received[rg[0]][slots[0]] += c;
                    row[rg[0]] += c * tokenBytes;
                } else {
                    double[] split = apportion(c, map.replicaShares(e));
                    for (int r = 0; r < rg.length; r++) {
                        received[rg[r]][slots[r]] += split[r];
                        row[rg[r]] += split[r] * tokenBytes;
                    }
                }
            }
        }
        double[][] combine = new double[gpus][gpus];
        for (int i = 0; i < gpus; i++) {
            for (int j = 0; j < gpus; j++) {
                combine[j][i] = dispatch[i][j];
            }
        }
        AllToAllCost dispatchCost = ops.costModel().allToAll(dispatch);
        AllToAllCost combineCost = ops.costModel().allToAll(combine);
        long[] permute = new long[gpus];
        long[] unpermute = new long[gpus];
        long[] expertsNs = new long[gpus];
        double[] got = new double[gpus];
        for (int g = 0; g < gpus; g++) {
            permute[g] = toNs(ops.permute(sent[g]).timeUs());
            unpermute[g] = toNs(ops.unpermute(sent[g], tokens[g]).timeUs());
            expertsNs[g] = toNs(ops.experts(received[g], map.localHidden(g)).timeUs());
            for (double r : received[g]) {
                got[g] += r;
            }
        }
        sink.accept(new MoeLayerTraffic(moeLayer, experts, counts, dispatch, training ? 2 : 1, dispatchCost,
                combineCost, expertsNs, got));
        double[] dispatchUs = dispatchCost.perGpuTimeUs();
        double[] combineUs = combineCost.perGpuTimeUs();
        long[] dispatchNs = new long[gpus];
        long[] combineNs = new long[gpus];
        for (int g = 0; g < gpus; g++) {
            dispatchNs[g] = toNs(dispatchUs[g]);
            combineNs[g] = toNs(combineUs[g]);
        }
        return new MoeLayerWork(permute, expertsNs, unpermute, dispatchNs, combineNs);
    }

    static long toNs(double us) {
        return Math.round(us * 1000.0);
    }

    /**
     * Splits {@code c} copies over replicas by share: integers by largest remainder (ties to the
     * earlier replica) when c is a whole number, proportionally otherwise.
     */
    public static double[] apportion(double c, double[] shares) {
        double[] split = new double[shares.length];
        if (c != Math.rint(c)) {
            for (int r = 0; r < shares.length; r++) {
                split[r] = c * shares[r];
            }
            return split;
        }
        double assigned = 0;
        double[] remainder = new double[shares.length];
        for (int r = 0; r < shares.length; r++) {
            split[r] = Math.floor(c * shares[r] + 1e-9);
            remainder[r] = c * shares[r] - split[r];
            assigned += split[r];
        }
        long left = Math.round(c - assigned);
        for (; left > 0; left--) {
            int best = 0;
            for (int r = 1; r < shares.length; r++) {
                if (remainder[r] > remainder[best]) {
                    best = r;
                }
            }
            split[best] += 1;
            remainder[best] = -1;
        }
        return split;
    }
}
