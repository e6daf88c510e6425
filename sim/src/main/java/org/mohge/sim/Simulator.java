package org.mohge.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.LayerStage;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.core.Op;
import org.mohge.sim.core.OpKind;
import org.mohge.sim.core.ProgramRunner;
import org.mohge.sim.core.Schedule;
import org.mohge.sim.core.StepProgram;
import org.mohge.sim.metrics.GpuStats;
import org.mohge.sim.metrics.GroupUsage;
import org.mohge.sim.metrics.LayerStats;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.metrics.StageTime;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;

/**
 * Simulates training or inference steps of an expert-parallel MoE model on a GPU cluster.
 *
 * <p>Tokens are spread evenly over the GPUs (data-parallel attention) and over the micro-batches,
 * which run one after another. Per micro-batch, every layer runs on every GPU as: attention ->
 * (dense FFN | router -> permute -> dispatch all-to-all -> grouped GEMM over the GPU's local
 * experts with the tokens it received -> combine all-to-all -> unpermute), the shared experts
 * running on the compute stream while the dispatch is on the links; then the LM head. Training
 * adds the backward pass in reverse order (every op twice its forward time; the backward
 * all-to-alls move the same bytes as their forward twins). Each op's duration comes from the
 * {@link LayerOps} prices of the {@code CostModel}, so the simulator and the {@code cost} command
 * price an op identically; routing comes from the scenario's routing model, drawn per
 * micro-batch and layer. With {@code dualBatchOverlap} each micro-batch is split into two halves
 * that run at the same time and compete for the compute stream and the links.
 *
 * <p>Not modelled: pipeline parallelism, the data-parallel gradient all-reduce and the optimizer
 * step, capacity factors / token dropping, node-limited routing.
 */
public final class Simulator {
    static final String LM_HEAD = "lm head";

    private final SimulationInput in;
    private final ModelSpec model;
    private final MoeLayerSpec moe;
    private final WorkloadSpec workload;
    private final ClusterSpec cluster;
    private final LayerOps ops;
    private final int gpus;
    private final int experts;
    private final List<ExpertShape> shapes;
    private final int[][] replicaGpu;
    private final double[][] replicaShare;
    private final int[][] replicaLocal;
    private final int[][] localHidden;
    private final double meanContext;
    private final Map<String, Map<Double, OpCost>> priceCache = new HashMap<>();

    // Accumulated over all steps.
    private final double[][] layerExpertNs;
    private final double[][] layerTokens;
    private final double[] layerIntraBytes;
    private final double[] layerInterBytes;
    private final double[] expertCopies;
    private final double[] gpuSentBytes;
    private final double[] gpuReceivedBytes;
    private final double[][] nodeTrafficBytes;
    /** GPU x GPU bytes, kept only for clusters small enough to print (see SimResult). */
    private final double[][] gpuTrafficBytes;

    private Simulator(SimulationInput in) {
        this.in = in;
        this.model = in.model();
        this.moe = model.moe();
        this.workload = in.workload();
        this.cluster = in.cluster();
        this.ops = new LayerOps(model, in.costModel());
        this.gpus = cluster.gpuCount();
        this.shapes = moe.expertShapes();
        this.experts = shapes.size();
        Placement placement = in.placement();
        if (placement.gpuCount() != gpus) {
            throw new SpecViolation("placement", "is for " + placement.gpuCount() + " GPUs, the cluster has " + gpus);
        }
        if (placement.expertCount() != experts) {
            throw new SpecViolation("placement", "places " + placement.expertCount() + " experts, the model has "
                    + experts + " (expert " + Math.min(placement.expertCount(), experts) + " is "
                    + (placement.expertCount() < experts ? "unplaced)" : "not in the model)"));
        }
        replicaGpu = new int[experts][];
        replicaShare = new double[experts][];
        replicaLocal = new int[experts][];
        int[] localCount = new int[gpus];
        for (ExpertPlacement e : placement.experts()) {
            List<ExpertReplica> replicas = e.replicas();
            replicaGpu[e.expert()] = new int[replicas.size()];
            replicaShare[e.expert()] = new double[replicas.size()];
            replicaLocal[e.expert()] = new int[replicas.size()];
            for (int r = 0; r < replicas.size(); r++) {
                int g = replicas.get(r).gpu();
                replicaGpu[e.expert()][r] = g;
                replicaShare[e.expert()][r] = replicas.get(r).share();
                replicaLocal[e.expert()][r] = localCount[g]++;
            }
        }
        localHidden = new int[gpus][];
        for (int g = 0; g < gpus; g++) {
            localHidden[g] = new int[localCount[g]];
        }
        for (int e = 0; e < experts; e++) {
            for (int r = 0; r < replicaGpu[e].length; r++) {
                localHidden[replicaGpu[e][r]][replicaLocal[e][r]] = shapes.get(e).hidden();
            }
        }
        meanContext = FlopAccounting.causalMeanContext(workload.sequenceLength());
        int moeLayers = model.moeLayers();
        layerExpertNs = new double[moeLayers][gpus];
        layerTokens = new double[moeLayers][gpus];
        layerIntraBytes = new double[moeLayers];
        layerInterBytes = new double[moeLayers];
        expertCopies = new double[experts];
        gpuSentBytes = new double[gpus];
        gpuReceivedBytes = new double[gpus];
        nodeTrafficBytes = new double[cluster.nodes()][cluster.nodes()];
        gpuTrafficBytes = gpus <= SimResult.MAX_GPU_TRAFFIC_MATRIX ? new double[gpus][gpus] : new double[0][0];
    }

    /** Runs the simulation. */
    public static SimResult run(SimulationInput input) {
        return runWithSchedule(input).result();
    }

    /** Runs the simulation and keeps the first step's schedule (for a Perfetto trace). */
    public static SimRun runWithSchedule(SimulationInput input) {
        return new Simulator(input).simulate();
    }

    /** Tokens of each GPU in each concurrent unit (micro-batch, or half micro-batch with overlap). */
    static long[][] unitTokens(long tokensPerStep, int units, int gpus) {
        long[][] tokens = new long[units][gpus];
        for (int u = 0; u < units; u++) {
            long unitTotal = tokensPerStep / units + (u < tokensPerStep % units ? 1 : 0);
            for (int g = 0; g < gpus; g++) {
                tokens[u][g] = unitTotal / gpus + (g < unitTotal % gpus ? 1 : 0);
            }
        }
        return tokens;
    }

    private SimRun simulate() {
        boolean overlap = in.options().dualBatchOverlap();
        int units = workload.microBatches() * (overlap ? 2 : 1);
        RoutingModel routing = RoutingModels.create(model, workload, in.routing(), in.seed()).withUnitsPerStep(units);
        if (in.options().checkMemory()) {
            checkMemory(expectedShares(routing));
        }
        long[][] tokens = unitTokens(workload.tokensPerStep(), units, gpus);
        int steps = in.routing().steps();
        List<String> stageOrder = new ArrayList<>();
        for (LayerStage s : LayerStage.values()) {
            stageOrder.add(s.label());
        }
        stageOrder.add(LM_HEAD);
        double[][][] stageNs = new double[stageOrder.size()][2][gpus];
        double[] computeNs = new double[gpus];
        double[] commNs = new double[gpus];
        double[] idleNs = new double[gpus];
        List<Double> stepTimes = new ArrayList<>(steps);
        Schedule first = null;
        for (int step = 0; step < steps; step++) {
            StepProgram program = new StepProgram(gpus);
            // Units run one after another; with overlap, the two halves of a micro-batch run together
            // and both wait for both halves of the previous micro-batch.
            int[] previous = new int[0];
            int[] current = new int[0];
            for (int u = 0; u < units; u++) {
                double[][] counts = routing.route(step, u, tokens[u]);
                int last = addUnit(program, u, tokens[u], counts, previous);
                if (overlap) {
                    current = append(current, last);
                    if (u % 2 == 1) {
                        previous = current;
                        current = new int[0];
                    }
                } else {
                    previous = new int[] {last};
                }
            }
            Schedule schedule = ProgramRunner.run(program);
            if (first == null) {
                first = schedule;
            }
            stepTimes.add(schedule.makespanNs() / 1000.0);
            account(schedule, stageOrder, stageNs, computeNs, commNs, idleNs);
        }
        return new SimRun(result(stepTimes, stageOrder, stageNs, computeNs, commNs, idleNs, overlap, units), first);
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private long[] perGpu(String kind, long[] tokens, DoubleFunction<OpCost> price, double factor) {
        Map<Double, OpCost> cache = priceCache.computeIfAbsent(kind, k -> new HashMap<>());
        long[] ns = new long[gpus];
        for (int g = 0; g < gpus; g++) {
            OpCost cost = cache.computeIfAbsent((double) tokens[g], price::apply);
            ns[g] = toNs(cost.timeUs() * factor);
        }
        return ns;
    }

    private static long toNs(double us) {
        return Math.round(us * 1000.0);
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

    /** Traffic and expert work of one MoE layer for one unit. */
    private record MoeLayerWork(long[] permuteNs, long[] expertsNs, long[] unpermuteNs, long[] dispatchNs,
                                long[] combineNs) {
    }

    private MoeLayerWork moeLayer(int moeLayer, long[] tokens, double[] counts, double[][] dispatch) {
        for (double[] row : dispatch) {
            Arrays.fill(row, 0);
        }
        double[][] received = new double[gpus][];
        for (int g = 0; g < gpus; g++) {
            received[g] = new double[localHidden[g].length];
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
                expertCopies[e] += c;
                int[] rg = replicaGpu[e];
                if (rg.length == 1) {
                    received[rg[0]][replicaLocal[e][0]] += c;
                    row[rg[0]] += c * tokenBytes;
                } else {
                    double[] split = apportion(c, replicaShare[e]);
                    for (int r = 0; r < rg.length; r++) {
                        received[rg[r]][replicaLocal[e][r]] += split[r];
                        row[rg[r]] += split[r] * tokenBytes;
                    }
                }
            }
        }
        double passes = workload.training() ? 2 : 1;
        double[][] combine = new double[gpus][gpus];
        for (int i = 0; i < gpus; i++) {
            int nodeI = cluster.nodeOf(i);
            for (int j = 0; j < gpus; j++) {
                double b = dispatch[i][j];
                combine[j][i] = b;
                if (i != j && b > 0) {
                    // dispatch i -> j and the combine j -> i, each forward (and backward when training)
                    double both = passes * b;
                    gpuSentBytes[i] += both;
                    gpuReceivedBytes[j] += both;
                    gpuSentBytes[j] += both;
                    gpuReceivedBytes[i] += both;
                    int nodeJ = cluster.nodeOf(j);
                    nodeTrafficBytes[nodeI][nodeJ] += both;
                    nodeTrafficBytes[nodeJ][nodeI] += both;
                    if (gpuTrafficBytes.length > 0) {
                        gpuTrafficBytes[i][j] += both;
                        gpuTrafficBytes[j][i] += both;
                    }
                }
            }
        }
        AllToAllCost dispatchCost = ops.costModel().allToAll(dispatch);
        AllToAllCost combineCost = ops.costModel().allToAll(combine);
        layerIntraBytes[moeLayer] += passes * (dispatchCost.intraNodeBytes() + combineCost.intraNodeBytes());
        layerInterBytes[moeLayer] += passes * (dispatchCost.interNodeBytes() + combineCost.interNodeBytes());
        long[] permute = new long[gpus];
        long[] unpermute = new long[gpus];
        long[] expertsNs = new long[gpus];
        for (int g = 0; g < gpus; g++) {
            permute[g] = toNs(ops.permute(sent[g]).timeUs());
            unpermute[g] = toNs(ops.unpermute(sent[g], tokens[g]).timeUs());
            expertsNs[g] = toNs(ops.experts(received[g], localHidden[g]).timeUs());
            double got = 0;
            for (double r : received[g]) {
                got += r;
            }
            layerExpertNs[moeLayer][g] += expertsNs[g];
            layerTokens[moeLayer][g] += got;
        }
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

    /**
     * Splits {@code c} copies over replicas by share: integers by largest remainder (ties to the
     * earlier replica) when c is a whole number, proportionally otherwise.
     */
    static double[] apportion(double c, double[] shares) {
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

    /** Adds one unit's forward (and backward) pass; returns its last op. */
    private int addUnit(StepProgram p, int unit, long[] tokens, double[][] counts, int[] after) {
        boolean training = workload.training();
        int layers = model.layers();
        int dense = model.denseLayers();
        long[] attention = perGpu("attention", tokens, t -> ops.attention(t, meanContext), 1);
        long[] router = perGpu("router", tokens, ops::router, 1);
        long[] shared = perGpu("shared", tokens, ops::sharedExperts, 1);
        long[] denseFfn = dense > 0 ? perGpu("dense", tokens, ops::denseFfn, 1) : null;
        long[] lmHead = perGpu("lmhead", tokens, ops::lmHead, 1);
        boolean hasShared = anyPositive(shared);
        double[][] dispatch = new double[gpus][gpus];
        MoeLayerWork[] work = new MoeLayerWork[layers];
        int[] last = after;
        for (int l = 0; l < layers; l++) {
            int a = p.add(OpKind.COMPUTE, LayerStage.ATTENTION.label(), l, unit, false, attention, last);
            if (l < dense) {
                int f = p.add(OpKind.COMPUTE, LayerStage.DENSE_FFN.label(), l, unit, false, denseFfn, a);
                last = new int[] {f};
                continue;
            }
            MoeLayerWork w = moeLayer(l - dense, tokens, counts[l - dense], dispatch);
            work[l] = w;
            int r = p.add(OpKind.COMPUTE, LayerStage.ROUTER.label(), l, unit, false, router, a);
            int pm = p.add(OpKind.COMPUTE, LayerStage.PERMUTE.label(), l, unit, false, w.permuteNs(), r);
            int s = hasShared ? p.add(OpKind.COMPUTE, LayerStage.SHARED_EXPERTS.label(), l, unit, false, shared, pm) : -1;
            int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH.label(), l, unit, false, w.dispatchNs(), pm);
            int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS.label(), l, unit, false, w.expertsNs(), d);
            int c = p.add(OpKind.COLLECTIVE, LayerStage.COMBINE.label(), l, unit, false, w.combineNs(), e);
            int u = hasShared
                    ? p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE.label(), l, unit, false, w.unpermuteNs(), c, s)
                    : p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE.label(), l, unit, false, w.unpermuteNs(), c);
            last = new int[] {u};
        }
        int head = p.add(OpKind.COMPUTE, LM_HEAD, -1, unit, false, lmHead, last);
        if (!training) {
            return head;
        }
        int back = p.add(OpKind.COMPUTE, LM_HEAD, -1, unit, true, times(lmHead, 2), head);
        for (int l = layers - 1; l >= 0; l--) {
            int prev = back;
            if (l < dense) {
                int f = p.add(OpKind.COMPUTE, LayerStage.DENSE_FFN.label(), l, unit, true, times(denseFfn, 2), prev);
                back = p.add(OpKind.COMPUTE, LayerStage.ATTENTION.label(), l, unit, true, times(attention, 2), f);
                continue;
            }
            MoeLayerWork w = work[l];
            int u = p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE.label(), l, unit, true, times(w.unpermuteNs(), 2), prev);
            int s = hasShared ? p.add(OpKind.COMPUTE, LayerStage.SHARED_EXPERTS.label(), l, unit, true, times(shared, 2), u) : -1;
            // Gradients of the combine travel like a dispatch (token owner -> expert), and vice versa.
            int c = p.add(OpKind.COLLECTIVE, LayerStage.COMBINE.label(), l, unit, true, w.dispatchNs(), u);
            int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS.label(), l, unit, true, times(w.expertsNs(), 2), c);
            int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH.label(), l, unit, true, w.combineNs(), e);
            int pm = hasShared
                    ? p.add(OpKind.COMPUTE, LayerStage.PERMUTE.label(), l, unit, true, times(w.permuteNs(), 2), d, s)
                    : p.add(OpKind.COMPUTE, LayerStage.PERMUTE.label(), l, unit, true, times(w.permuteNs(), 2), d);
            int r = p.add(OpKind.COMPUTE, LayerStage.ROUTER.label(), l, unit, true, times(router, 2), pm);
            back = p.add(OpKind.COMPUTE, LayerStage.ATTENTION.label(), l, unit, true, times(attention, 2), r);
        }
        return back;
    }

    private void account(Schedule schedule, List<String> stageOrder, double[][][] stageNs, double[] computeNs,
                         double[] commNs, double[] idleNs) {
        StepProgram program = schedule.program();
        Map<String, Integer> stageIndex = new HashMap<>();
        for (int i = 0; i < stageOrder.size(); i++) {
            stageIndex.put(stageOrder.get(i), i);
        }
        int n = program.size();
        long[][] starts = new long[gpus][n];
        long[][] ends = new long[gpus][n];
        for (Op op : program.ops()) {
            int si = stageIndex.get(op.stage());
            int dir = op.backward() ? 1 : 0;
            for (int g = 0; g < gpus; g++) {
                long start = schedule.start(op.id(), g);
                long end = schedule.end(op.id(), g);
                long dur = end - start;
                stageNs[si][dir][g] += dur;
                if (op.kind() == OpKind.COMPUTE) {
                    computeNs[g] += dur;
                } else {
                    commNs[g] += dur;
                }
                starts[g][op.id()] = start;
                ends[g][op.id()] = end;
            }
        }
        for (int g = 0; g < gpus; g++) {
            idleNs[g] += schedule.makespanNs() - union(starts[g], ends[g]);
        }
    }

    /** Length of the union of intervals [start_i, end_i). */
    static long union(long[] starts, long[] ends) {
        int n = starts.length;
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {starts[i], ends[i]};
        }
        Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] pr : pairs) {
            if (pr[1] <= pr[0]) {
                continue;
            }
            if (pr[0] > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = pr[0];
                curEnd = pr[1];
            } else {
                curEnd = Math.max(curEnd, pr[1]);
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }

    private SimResult result(List<Double> stepTimes, List<String> stageOrder, double[][][] stageNs,
                             double[] computeNs, double[] commNs, double[] idleNs, boolean overlap, int units) {
        int steps = stepTimes.size();
        double stepUs = stepTimes.stream().mapToDouble(Double::doubleValue).sum() / steps;
        double tokensPerSecond = stepUs > 0 ? workload.tokensPerStep() / (stepUs * 1e-6) : 0;

        double totalCopies = 0;
        for (double c : expertCopies) {
            totalCopies += c;
        }
        double[] shares = new double[experts];
        double routedParams = 0;
        for (int e = 0; e < experts; e++) {
            shares[e] = totalCopies > 0 ? expertCopies[e] / totalCopies : 1.0 / experts;
            routedParams += expertCopies[e] * moe.expertParams(model.hiddenSize(), shapes.get(e));
        }
        double tokensRouted = (double) workload.tokensPerStep() * steps;
        double activatedRouted = routedParams / tokensRouted;
        double activated = ParamAccounting.count(model, shares).activatedParams();

        List<GroupUsage> groups = new ArrayList<>();
        List<ExpertGroup> classes = moe.sizeClasses();
        for (int c = 0; c < classes.size(); c++) {
            double copies = 0;
            for (ExpertShape e : shapes) {
                if (e.sizeClass() == c) {
                    copies += expertCopies[e.index()];
                }
            }
            groups.add(new GroupUsage(c, classes.get(c).expertHidden(), classes.get(c).experts(),
                    totalCopies > 0 ? copies / totalCopies : 0));
        }

        List<StageTime> stages = new ArrayList<>();
        for (int i = 0; i < stageOrder.size(); i++) {
            double fwd = 0;
            double bwd = 0;
            double max = 0;
            for (int g = 0; g < gpus; g++) {
                fwd += stageNs[i][0][g];
                bwd += stageNs[i][1][g];
                max = Math.max(max, stageNs[i][0][g] + stageNs[i][1][g]);
            }
            if (fwd + bwd > 0) {
                stages.add(new StageTime(stageOrder.get(i), fwd / gpus / steps / 1000.0, bwd / gpus / steps / 1000.0,
                        max / steps / 1000.0));
            }
        }

        List<LayerStats> layers = new ArrayList<>();
        double worst = 1;
        double worstTokens = 1;
        double intra = 0;
        double inter = 0;
        for (int l = 0; l < model.moeLayers(); l++) {
            double maxT = 0;
            double sumT = 0;
            double maxTok = 0;
            double sumTok = 0;
            for (int g = 0; g < gpus; g++) {
                maxT = Math.max(maxT, layerExpertNs[l][g]);
                sumT += layerExpertNs[l][g];
                maxTok = Math.max(maxTok, layerTokens[l][g]);
                sumTok += layerTokens[l][g];
            }
            double imbalance = sumT > 0 ? maxT / (sumT / gpus) : 1;
            double tokenImbalance = sumTok > 0 ? maxTok / (sumTok / gpus) : 1;
            worst = Math.max(worst, imbalance);
            worstTokens = Math.max(worstTokens, tokenImbalance);
            intra += layerIntraBytes[l] / steps;
            inter += layerInterBytes[l] / steps;
            layers.add(new LayerStats(model.denseLayers() + l, l, imbalance, tokenImbalance, maxT / steps / 1000.0,
                    sumT / gpus / steps / 1000.0, maxTok / steps, sumTok / gpus / steps, layerIntraBytes[l] / steps,
                    layerInterBytes[l] / steps));
        }

        List<MemoryEstimate> memory = MemoryModel.perGpu(model, cluster, workload, in.placement(), shares);
        double peak = 0;
        for (MemoryEstimate m : memory) {
            peak = Math.max(peak, m.totalBytes());
        }
        List<GpuStats> gpuStats = new ArrayList<>();
        double utilSum = 0;
        for (int g = 0; g < gpus; g++) {
            double busyUs = computeNs[g] / steps / 1000.0;
            double utilisation = stepUs > 0 ? busyUs / stepUs : 0;
            utilSum += utilisation;
            double expertUs = 0;
            double received = 0;
            for (int l = 0; l < model.moeLayers(); l++) {
                expertUs += layerExpertNs[l][g];
                received += layerTokens[l][g];
            }
            gpuStats.add(new GpuStats(g, cluster.nodeOf(g), busyUs, commNs[g] / steps / 1000.0,
                    idleNs[g] / steps / 1000.0, utilisation, expertUs / steps / 1000.0, received / steps,
                    gpuSentBytes[g] / steps, gpuReceivedBytes[g] / steps, memory.get(g).totalBytes(),
                    memory.get(g).capacityBytes()));
        }
        List<List<Double>> nodeTraffic = perStep(nodeTrafficBytes, steps);
        List<List<Double>> gpuTraffic = perStep(gpuTrafficBytes, steps);
        return new SimResult(in.placement().strategy(), in.routing().fidelity(), in.costModel().description(),
                in.seed(), steps, workload.microBatches(), overlap, gpus, workload.tokensPerStep(), stepUs, stepTimes,
                tokensPerSecond, worst, worstTokens, utilSum / gpus, intra, inter, activatedRouted, activated, peak,
                groups, stages, layers, gpuStats, nodeTraffic, gpuTraffic);
    }

    private static List<List<Double>> perStep(double[][] bytes, int steps) {
        List<List<Double>> rows = new ArrayList<>(bytes.length);
        for (double[] row : bytes) {
            List<Double> r = new ArrayList<>(row.length);
            for (double b : row) {
                r.add(b / steps);
            }
            rows.add(r);
        }
        return rows;
    }

    /** Expected share of routed activations per expert, averaged over the MoE layers. */
    private double[] expectedShares(RoutingModel routing) {
        double[] shares = new double[experts];
        double total = 0;
        for (int l = 0; l < routing.moeLayers(); l++) {
            double[] pi = routing.expectedInclusion(l);
            for (int e = 0; e < experts; e++) {
                shares[e] += pi[e];
                total += pi[e];
            }
        }
        for (int e = 0; e < experts; e++) {
            shares[e] = total > 0 ? shares[e] / total : 1.0 / experts;
        }
        return shares;
    }

    /** Fails before simulating when the placement (with the expected routing) overfills a GPU. */
    private void checkMemory(double[] shares) {
        for (MemoryEstimate m : MemoryModel.perGpu(model, cluster, workload, in.placement(), shares)) {
            if (!m.fits()) {
                throw new SpecViolation("placement", String.format(java.util.Locale.ROOT,
                        "needs %.1f GiB on GPU %d (weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f, "
                                + "KV cache %.1f), more than its %.1f GiB",
                        gib(m.totalBytes()), m.gpu(), gib(m.weightBytes()), gib(m.gradientBytes()),
                        gib(m.optimizerBytes()), gib(m.activationBytes()), gib(m.kvCacheBytes()),
                        gib(m.capacityBytes())));
            }
        }
    }

    private static double gib(double bytes) {
        return bytes / (1024.0 * 1024 * 1024);
    }
}
