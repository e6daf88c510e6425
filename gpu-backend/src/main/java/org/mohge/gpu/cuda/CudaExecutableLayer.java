package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.ExpertTokens;
import org.mohge.gpu.api.ExpertWeights;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerRun;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.PartitionRun;
import org.mohge.gpu.api.PartitionTiming;
import org.mohge.gpu.api.PartitionWork;
import org.mohge.gpu.api.Routing;
import org.mohge.gpu.api.StageTimings;

/**
 * A layer resident on the GPU: router gates in fp32, expert weights in one bf16 arena
 * ({@link WeightLayout}). Forward pass on the default stream:
 * <ol>
 *   <li>router: {@code router_logits_f32} (expert gate, and group gate for grouped layers), then
 *       {@code route_flat} or {@code route_grouped};</li>
 *   <li>permutation: {@code count_experts}, {@code scan_offsets}, counts copied to the host to plan
 *       the grouped GEMM tiles, {@code assign_positions}, {@code gather_rows_bf16};</li>
 *   <li>experts: {@code grouped_gemm_swiglu|gelu} then {@code grouped_gemm_plain}, one launch each
 *       for all routed and shared experts (shared experts appear as extra slot experts on every
 *       token);</li>
 *   <li>combine: {@code combine_rows}.</li>
 * </ol>
 * Stage times come from CUDA events between the stages. Per-expert times, and the routed/shared split,
 * are the expert stage's time apportioned by FLOPs (the experts share one launch).
 */
final class CudaExecutableLayer implements ExecutableLayer {
    private static final int MAX_TOPK = 32;

    private final CudaLayerBackend backend;
    private final LayerWeights w;
    private final WeightLayout layout;
    private final int d;
    private final int experts;
    private final int shared;
    private final int groups;
    private final int k;
    private final int kg;
    private final int ke;
    private final CUdeviceptr weights = new CUdeviceptr();
    private final CUdeviceptr expertGate = new CUdeviceptr();
    private final CUdeviceptr groupGate = new CUdeviceptr();
    private final CUdeviceptr groupFirst = new CUdeviceptr();
    private final CUdeviceptr groupSize = new CUdeviceptr();
    private final Map<String, CUdeviceptr> buffers = new HashMap<>();
    private final Map<String, Long> capacity = new HashMap<>();
    private final CUevent[] events = new CUevent[5];
    private int slotTablesFor = -1;

    CudaExecutableLayer(CudaLayerBackend backend, LayerWeights w) {
        this.backend = backend;
        this.w = w;
        this.layout = new WeightLayout(w);
        this.d = w.modelHidden();
        this.experts = w.expertCount();
        this.shared = w.sharedExperts().size();
        this.groups = LayerWeights.groupCount(w.spec());
        this.k = w.spec().routedExpertsPerToken();
        this.kg = w.spec() instanceof GroupedMoe g ? g.topGroups() : 0;
        this.ke = w.spec() instanceof GroupedMoe g ? g.topExpertsPerGroup() : 0;
        if (d % 8 != 0) {
            throw new IllegalArgumentException("the CUDA backend needs modelHidden % 8 == 0, got " + d);
        }
        for (int e = 0; e < layout.slotExperts(); e++) {
            if (layout.hidden(e) % 8 != 0) {
                throw new IllegalArgumentException("the CUDA backend needs expert hidden sizes % 8 == 0, got "
                        + layout.hidden(e));
            }
        }
        if (k > MAX_TOPK || kg > MAX_TOPK) {
            throw new IllegalArgumentException("the CUDA router supports at most " + MAX_TOPK + " experts per token");
        }
        cuMemAlloc(weights, Math.max(16, layout.totalElements() * 2));
        List<ExpertWeights> all = new ArrayList<>(w.experts());
        all.addAll(w.sharedExperts());
        for (int e = 0; e < all.size(); e++) {
            ExpertWeights ew = all.get(e);
            if (layout.gateOffset(e) >= 0) {
                upload(weights, layout.gateOffset(e), ew.gate().data());
            }
            upload(weights, layout.upOffset(e), ew.up().data());
            upload(weights, layout.downOffset(e), ew.down().data());
        }
        cuMemAlloc(expertGate, (long) d * experts * 4);
        cuMemcpyHtoD(expertGate, Pointer.to(w.expertGate().data()), (long) d * experts * 4);
        if (groups > 0) {
            GroupedMoe g = (GroupedMoe) w.spec();
            cuMemAlloc(groupGate, (long) d * groups * 4);
            cuMemcpyHtoD(groupGate, Pointer.to(w.groupGate().data()), (long) d * groups * 4);
            int[] first = new int[groups];
            int[] size = new int[groups];
            for (int i = 0; i < groups; i++) {
                first[i] = g.firstExpertOf(i);
                size[i] = g.groups().get(i).experts();
            }
            cuMemAlloc(groupFirst, groups * 4L);
            cuMemAlloc(groupSize, groups * 4L);
            cuMemcpyHtoD(groupFirst, Pointer.to(first), groups * 4L);
            cuMemcpyHtoD(groupSize, Pointer.to(size), groups * 4L);
        }
        for (int i = 0; i < events.length; i++) {
            events[i] = new CUevent();
            cuEventCreate(events[i], 0);
        }
    }

    private static void upload(CUdeviceptr arena, long offsetElements, float[] data) {
        short[] bf = Bf16.fromFloats(data);
        cuMemcpyHtoD(arena.withByteOffset(offsetElements * 2), Pointer.to(bf), bf.length * 2L);
    }

    /** A scratch buffer of at least {@code bytes}, grown (never shrunk) on demand. */
    private CUdeviceptr buffer(String name, long bytes) {
        long need = Math.max(256, bytes);
        Long have = capacity.get(name);
        if (have == null || have < need) {
            CUdeviceptr old = buffers.get(name);
            if (old != null) {
                cuMemFree(old);
            }
            long size = have == null ? need : Math.max(need, have + have / 4);
            CUdeviceptr p = new CUdeviceptr();
            cuMemAlloc(p, size);
            if (name.startsWith("slot")) {
                slotTablesFor = -1; // the shared-expert tail and slot tokens live in these buffers
            }
            buffers.put(name, p);
            capacity.put(name, size);
        }
        return buffers.get(name);
    }

    private void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
        String signature = CudaLayerBackend.SIGNATURES.get(kernel);
        if (signature == null || signature.length() != args.length) {
            throw new IllegalStateException(kernel + " takes " + signature + ", got " + args.length + " arguments");
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char kind = signature.charAt(i);
            if (a instanceof CUdeviceptr p && kind == 'p') {
                params[i] = Pointer.to(p);
            } else if (a instanceof Integer v && kind == 'i') {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Long v && kind == 'l') {
                params[i] = Pointer.to(new long[] {v});
            } else {
                throw new IllegalStateException(kernel + " argument " + i + " must be of kind '" + kind + "', got " + a);
            }
        }
        cuLaunchKernel(backend.function(kernel), gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
    }

    private static int blocks(long n, int per) {
        return (int) ((n + per - 1) / per);
    }

    private float elapsedMs(int from, int to) {
        float[] ms = new float[1];
        cuEventElapsedTime(ms, events[from], events[to]);
        return ms[0];
    }

    @Override
    public LayerWeights weights() {
        return w;
    }

    private CUdeviceptr uploadX(FloatMatrix x) {
        if (x.cols() != d) {
            throw new IllegalArgumentException("x must have " + d + " columns (the model hidden size), got " + x.cols());
        }
        CUdeviceptr dx = buffer("x", (long) x.rows() * d * 4);
        cuMemcpyHtoD(dx, Pointer.to(x.data()), (long) x.rows() * d * 4);
        return dx;
    }

    /** Launches the router for {@code t} tokens already in the "x" buffer; routing lands in slotExpert/weights/groups. */
    private void launchRouter(CUdeviceptr dx, int t) {
        CUdeviceptr logits = buffer("logits", (long) t * experts * 4);
        launch("router_logits_f32", blocks(experts, 16), blocks(t, 16), 16, 16, dx, expertGate, logits, t, d, experts);
        CUdeviceptr slotExpert = buffer("slotExpert", (long) t * (k + shared) * 4);
        CUdeviceptr gateWeights = buffer("weights", (long) t * k * 4);
        if (groups > 0) {
            CUdeviceptr glogits = buffer("groupLogits", (long) t * groups * 4);
            launch("router_logits_f32", blocks(groups, 16), blocks(t, 16), 16, 16, dx, groupGate, glogits, t, d, groups);
            CUdeviceptr groupsOut = buffer("groups", (long) t * kg * 4);
            launch("route_grouped", blocks(t, 128), 1, 128, 1, logits, glogits, groupFirst, groupSize, t, experts, groups,
                    kg, ke, groupsOut, slotExpert, gateWeights);
        } else {
            launch("route_flat", blocks(t, 128), 1, 128, 1, logits, t, experts, k, slotExpert, gateWeights);
        }
    }

    private Routing readRouting(int t) {
        int[] ex = new int[t * k];
        float[] wt = new float[t * k];
        int[] gr = new int[t * kg];
        cuMemcpyDtoH(Pointer.to(ex), buffers.get("slotExpert"), ex.length * 4L);
        cuMemcpyDtoH(Pointer.to(wt), buffers.get("weights"), wt.length * 4L);
        if (kg > 0) {
            cuMemcpyDtoH(Pointer.to(gr), buffers.get("groups"), gr.length * 4L);
        }
        return new Routing(t, k, ex, wt, kg, gr);
    }

    @Override
    public Routing route(FloatMatrix x) {
        backend.makeCurrent();
        CUdeviceptr dx = uploadX(x);
        launchRouter(dx, x.rows());
        return readRouting(x.rows());
    }

    /** Uploads slot tokens and the shared-expert tail of slotExpert (constant for a given T). */
    private void prepareSlotTables(int t) {
        CUdeviceptr slotExpert = buffer("slotExpert", (long) t * (k + shared) * 4);
        CUdeviceptr slotToken = buffer("slotToken", (long) t * (k + shared) * 4);
        if (slotTablesFor == t) {
            return;
        }
        int slots = t * (k + shared);
        int[] tokens = new int[slots];
        for (int i = 0; i < t * k; i++) {
            tokens[i] = i / k;
        }
        int[] tail = new int[shared * t];
        for (int j = 0; j < shared; j++) {
            for (int tok = 0; tok < t; tok++) {
                tokens[t * k + j * t + tok] = tok;
                tail[j * t + tok] = experts + j;
            }
        }
        cuMemcpyHtoD(slotToken, Pointer.to(tokens), slots * 4L);
        if (shared > 0) {
            cuMemcpyHtoD(slotExpert.withByteOffset(t * k * 4L), Pointer.to(tail), tail.length * 4L);
        }
        slotTablesFor = t;
    }

    /** Both grouped-GEMM launches of one expert stage, planned and uploaded, ready to launch. */
    private record ExpertLaunch(GroupedGemmPlan first, GroupedGemmPlan second, CUdeviceptr desc1, CUdeviceptr tiles1,
                                CUdeviceptr desc2, CUdeviceptr tiles2, CUdeviceptr h, double[] flops) {
    }

    /** Plans the two launches for the given slot experts and their row counts (rows are consecutive in that order). */
    private ExpertLaunch prepareExperts(int[] slotExperts, int[] rows) {
        long[] rowOff = new long[slotExperts.length + 1];
        for (int i = 0; i < slotExperts.length; i++) {
            rowOff[i + 1] = rowOff[i] + rows[i];
        }
        long[] hOff = layout.hiddenOffsets(slotExperts, rows);
        GroupedGemmPlan first = GroupedGemmPlan.of(layout.gateUpDescs(slotExperts, rows, rowOff, hOff),
                layout.gateUpBlockCols());
        GroupedGemmPlan second = GroupedGemmPlan.of(layout.downDescs(slotExperts, rows, rowOff, hOff),
                GroupedGemmPlan.BN_WIDE);
        CUdeviceptr h = buffer("h", hOff[slotExperts.length] * 2);
        CUdeviceptr desc1 = uploadBytes("desc1", first.packedDescs());
        CUdeviceptr tiles1 = uploadInts("tiles1", first.tiles());
        CUdeviceptr desc2 = uploadBytes("desc2", second.packedDescs());
        CUdeviceptr tiles2 = uploadInts("tiles2", second.tiles());
        double[] flops = new double[slotExperts.length];
        for (int i = 0; i < slotExperts.length; i++) {
            flops[i] = first.descs().get(i).flops() * (layout.gateOffset(slotExperts[i]) >= 0 ? 2 : 1)
                    + second.descs().get(i).flops();
        }
        return new ExpertLaunch(first, second, desc1, tiles1, desc2, tiles2, h, flops);
    }

    /** Launches the planned expert stage: A = xp (bf16 permuted rows), C = yp (fp32). */
    private void launchExperts(ExpertLaunch l, CUdeviceptr xp, CUdeviceptr yp) {
        if (l.first().tileCount() > 0) {
            launch(layout.gateUpKernel(), l.first().tileCount(), 1, 256, 1, l.desc1(), l.tiles1(), xp, weights, l.h());
            launch("grouped_gemm_plain", l.second().tileCount(), 1, 256, 1, l.desc2(), l.tiles2(), l.h(), weights, yp);
        }
    }

    private CUdeviceptr uploadBytes(String name, byte[] bytes) {
        CUdeviceptr p = buffer(name, bytes.length);
        if (bytes.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(bytes), bytes.length);
        }
        return p;
    }

    private CUdeviceptr uploadInts(String name, int[] values) {
        CUdeviceptr p = buffer(name, values.length * 4L);
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), values.length * 4L);
        }
        return p;
    }

    @Override
    public LayerRun forward(FloatMatrix x) {
        return forward(x, null);
    }

    @Override
    public LayerRun forward(FloatMatrix x, Placement placement) {
        backend.makeCurrent();
        int t = x.rows();
        if (t == 0) {
            throw new IllegalArgumentException("x has no tokens");
        }
        int slotExperts = experts + shared;
        int slots = t * (k + shared);
        CUdeviceptr dx = uploadX(x);
        prepareSlotTables(t);
        cuEventRecord(events[0], null);
        launchRouter(dx, t);
        cuEventRecord(events[1], null);

        CUdeviceptr slotExpert = buffers.get("slotExpert");
        CUdeviceptr counts = buffer("counts", slotExperts * 4L);
        CUdeviceptr offsets = buffer("offsets", (slotExperts + 1) * 4L);
        CUdeviceptr fill = buffer("fill", slotExperts * 4L);
        CUdeviceptr slotPos = buffer("slotPos", slots * 4L);
        CUdeviceptr permToken = buffer("permToken", slots * 4L);
        CUdeviceptr xp = buffer("xp", (long) slots * d * 2);
        CUdeviceptr yp = buffer("yp", (long) slots * d * 4);
        CUdeviceptr y = buffer("y", (long) t * d * 4);
        cuMemsetD32(counts, 0, slotExperts);
        launch("count_experts", blocks(slots, 256), 1, 256, 1, slotExpert, slots, counts);
        launch("scan_offsets", 1, 1, 1, 1, counts, slotExperts, offsets, fill);
        int[] rows = new int[slotExperts];
        cuMemcpyDtoH(Pointer.to(rows), counts, slotExperts * 4L);
        launch("assign_positions", blocks(slots, 256), 1, 256, 1, slotExpert, buffers.get("slotToken"), slots, fill,
                slotPos, permToken);
        if (slots > 0) {
            launch("gather_rows_bf16", slots, 1, 256, 1, dx, permToken, slots, d, xp);
        }
        int[] ids = new int[slotExperts];
        for (int e = 0; e < slotExperts; e++) {
            ids[e] = e;
        }
        // Planning needs the counts on the host, so the permutation stage includes that round trip.
        ExpertLaunch plan = prepareExperts(ids, rows);
        cuEventRecord(events[2], null);
        launchExperts(plan, xp, yp);
        double[] flops = plan.flops();
        cuEventRecord(events[3], null);
        if (t > 0) {
            launch("combine_rows", t, 1, 256, 1, yp, slotPos, buffers.get("weights"), t, k, shared, d, y);
        }
        cuEventRecord(events[4], null);
        cuEventSynchronize(events[4]);

        float[] out = new float[t * d];
        cuMemcpyDtoH(Pointer.to(out), y, out.length * 4L);
        Routing routing = readRouting(t);
        double expertStageUs = elapsedMs(2, 3) * 1e3;
        double total = 0;
        double routedFlops = 0;
        for (int e = 0; e < slotExperts; e++) {
            total += flops[e];
            if (e < experts) {
                routedFlops += flops[e];
            }
        }
        double[] expertUs = new double[experts];
        for (int e = 0; e < experts; e++) {
            expertUs[e] = total == 0 ? 0 : expertStageUs * flops[e] / total;
        }
        double routedUs = total == 0 ? 0 : expertStageUs * routedFlops / total;
        // Read every event before the partition runs below record them again.
        double routerUs = elapsedMs(0, 1) * 1e3;
        double permutationUs = elapsedMs(1, 2) * 1e3;
        double combineUs = elapsedMs(3, 4) * 1e3;
        double totalUs = elapsedMs(0, 4) * 1e3;
        List<PartitionTiming> partitions = new ArrayList<>();
        if (placement != null) {
            for (PartitionWork work : PartitionWork.split(routing, placement)) {
                PartitionRun run = runPartition(x, work);
                partitions.add(new PartitionTiming(work.gpu(), work.experts().size(), run.activations(), run.timeUs()));
            }
        }
        StageTimings timings = new StageTimings(routerUs, permutationUs, routedUs, expertStageUs - routedUs, combineUs,
                totalUs, expertUs, partitions);
        return new LayerRun("cuda", new FloatMatrix(t, d, out), routing, timings);
    }

    @Override
    public PartitionRun runPartition(FloatMatrix x, PartitionWork work) {
        backend.makeCurrent();
        int t = x.rows();
        List<ExpertTokens> list = work.experts();
        int n = list.size();
        int[] ids = new int[n];
        int[] rows = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = list.get(i).expert();
            if (ids[i] >= experts) {
                throw new IllegalArgumentException("partition " + work.gpu() + " lists expert " + ids[i]
                        + ", the layer has " + experts);
            }
            rows[i] = list.get(i).tokens().length;
            total += rows[i];
        }
        int[] permToken = new int[total];
        float[] permWeight = new float[total];
        int at = 0;
        for (ExpertTokens et : list) {
            for (int j = 0; j < et.tokens().length; j++) {
                if (et.tokens()[j] < 0 || et.tokens()[j] >= t) {
                    throw new IllegalArgumentException("partition " + work.gpu() + " has token " + et.tokens()[j]
                            + " outside [0, " + t + ")");
                }
                permToken[at] = et.tokens()[j];
                permWeight[at++] = et.weights()[j];
            }
        }
        CUdeviceptr dx = uploadX(x);
        CUdeviceptr y = buffer("partY", (long) t * d * 4);
        cuMemsetD32(y, 0, (long) t * d);
        CUdeviceptr pt = uploadInts("partToken", permToken);
        CUdeviceptr pw = buffer("partWeight", total * 4L);
        if (total > 0) {
            cuMemcpyHtoD(pw, Pointer.to(permWeight), total * 4L);
        }
        CUdeviceptr xp = buffer("xp", (long) total * d * 2);
        CUdeviceptr yp = buffer("yp", (long) total * d * 4);
        ExpertLaunch plan = prepareExperts(ids, rows);
        cuEventRecord(events[0], null);
        if (total > 0) {
            launch("gather_rows_bf16", total, 1, 256, 1, dx, pt, total, d, xp);
        }
        launchExperts(plan, xp, yp);
        double[] flops = plan.flops();
        if (total > 0) {
            launch("scatter_add_rows", total, 1, 256, 1, yp, pt, pw, total, d, y);
        }
        cuEventRecord(events[1], null);
        cuEventSynchronize(events[1]);
        float[] out = new float[t * d];
        cuMemcpyDtoH(Pointer.to(out), y, out.length * 4L);
        double timeUs = elapsedMs(0, 1) * 1e3;
        double sum = 0;
        for (double f : flops) {
            sum += f;
        }
        double[] expertUs = new double[n];
        for (int i = 0; i < n; i++) {
            expertUs[i] = sum == 0 ? 0 : timeUs * flops[i] / sum;
        }
        return new PartitionRun(work.gpu(), new FloatMatrix(t, d, out), expertUs, total, timeUs);
    }

    @Override
    public void close() {
        backend.makeCurrent();
        for (CUdeviceptr p : buffers.values()) {
            cuMemFree(p);
        }
        buffers.clear();
        capacity.clear();
        cuMemFree(weights);
        cuMemFree(expertGate);
        if (groups > 0) {
            cuMemFree(groupGate);
            cuMemFree(groupFirst);
            cuMemFree(groupSize);
        }
        for (CUevent e : events) {
            cuEventDestroy(e);
        }
    }
}
