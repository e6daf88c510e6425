package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import static org.mohge.gpu.cuda.KernelLauncher.blocks;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.gpu.api.ExecutableLayer;
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
 * are the expert stage's time apportioned by FLOPs (the experts share one launch). Device memory
 * is held by {@link DeviceWeights} and {@link ScratchBuffers}, launches and events by
 * {@link KernelLauncher}, the expert GEMMs by {@link ExpertStage}; this class sequences a run.
 */
final class CudaExecutableLayer implements ExecutableLayer {
    private static final int MAX_TOPK = 32;

    private final CudaLayerBackend backend;
    private final LayerWeights w;
    private final int d;
    private final int experts;
    private final int shared;
    private final int groups;
    private final int k;
    private final int kg;
    private final int ke;
    private final DeviceWeights device;
    private final ScratchBuffers buffers = new ScratchBuffers();
    private final KernelLauncher launcher;
    private final ExpertStage expertStage;
    /** Token count the slot tables were uploaded for, and the slot buffers' allocations then. */
    private int slotTablesFor = -1;
    private int slotTablesAllocations = -1;

    CudaExecutableLayer(CudaLayerBackend backend, LayerWeights w) {
        this.backend = backend;
        this.w = w;
        WeightLayout layout = new WeightLayout(w);
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
        this.device = new DeviceWeights(w, layout);
        this.launcher = new KernelLauncher(backend, 5);
        this.expertStage = new ExpertStage(layout, device, buffers, launcher);
    }

    @Override
    public LayerWeights weights() {
        return w;
    }

    private CUdeviceptr uploadX(FloatMatrix x) {
        if (x.cols() != d) {
            throw new IllegalArgumentException("x must have " + d + " columns (the model hidden size), got " + x.cols());
        }
        CUdeviceptr dx = buffers.get("x", (long) x.rows() * d * 4);
        cuMemcpyHtoD(dx, Pointer.to(x.data()), (long) x.rows() * d * 4);
        return dx;
    }

    /** Launches the router for {@code t} tokens already in the "x" buffer; routing lands in slotExpert/weights/groups. */
    private void launchRouter(CUdeviceptr dx, int t) {
        CUdeviceptr logits = buffers.get("logits", (long) t * experts * 4);
        launcher.launch("router_logits_f32", blocks(experts, 16), blocks(t, 16), 16, 16, dx, device.expertGate, logits, t, d, experts);
        CUdeviceptr slotExpert = buffers.get("slotExpert", (long) t * (k + shared) * 4);
        CUdeviceptr gateWeights = buffers.get("weights", (long) t * k * 4);
        if (groups > 0) {
            CUdeviceptr glogits = buffers.get("groupLogits", (long) t * groups * 4);
            launcher.launch("router_logits_f32", blocks(groups, 16), blocks(t, 16), 16, 16, dx, device.groupGate, glogits, t, d, groups);
            CUdeviceptr groupsOut = buffers.get("groups", (long) t * kg * 4);
            launcher.launch("route_grouped", blocks(t, 128), 1, 128, 1, logits, glogits, device.groupFirst, device.groupSize, t, experts, groups,
                    kg, ke, groupsOut, slotExpert, gateWeights);
        } else {
            launcher.launch("route_flat", blocks(t, 128), 1, 128, 1, logits, t, experts, k, slotExpert, gateWeights);
        }
    }

    private Routing readRouting(int t) {
        int[] ex = new int[t * k];
        float[] wt = new float[t * k];
        int[] gr = new int[t * kg];
        cuMemcpyDtoH(Pointer.to(ex), buffers.existing("slotExpert"), ex.length * 4L);
        cuMemcpyDtoH(Pointer.to(wt), buffers.existing("weights"), wt.length * 4L);
        if (kg > 0) {
            cuMemcpyDtoH(Pointer.to(gr), buffers.existing("groups"), gr.length * 4L);
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
        CUdeviceptr slotExpert = buffers.get("slotExpert", (long) t * (k + shared) * 4);
        CUdeviceptr slotToken = buffers.get("slotToken", (long) t * (k + shared) * 4);
        int allocations = buffers.allocations("slotExpert") + buffers.allocations("slotToken");
        if (slotTablesFor == t && slotTablesAllocations == allocations) {
            return; // still there: the shared-expert tail and slot tokens depend only on t
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
        slotTablesAllocations = allocations;
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
        launcher.record(0);
        launchRouter(dx, t);
        launcher.record(1);

        CUdeviceptr slotExpert = buffers.existing("slotExpert");
        CUdeviceptr counts = buffers.get("counts", slotExperts * 4L);
        CUdeviceptr offsets = buffers.get("offsets", (slotExperts + 1) * 4L);
        CUdeviceptr fill = buffers.get("fill", slotExperts * 4L);
        CUdeviceptr slotPos = buffers.get("slotPos", slots * 4L);
        CUdeviceptr permToken = buffers.get("permToken", slots * 4L);
        CUdeviceptr xp = buffers.get("xp", (long) slots * d * 2);
        CUdeviceptr yp = buffers.get("yp", (long) slots * d * 4);
        CUdeviceptr y = buffers.get("y", (long) t * d * 4);
        cuMemsetD32(counts, 0, slotExperts);
        launcher.launch("count_experts", blocks(slots, 256), 1, 256, 1, slotExpert, slots, counts);
        launcher.launch("scan_offsets", 1, 1, 1, 1, counts, slotExperts, offsets, fill);
        int[] rows = new int[slotExperts];
        cuMemcpyDtoH(Pointer.to(rows), counts, slotExperts * 4L);
        launcher.launch("assign_positions", blocks(slots, 256), 1, 256, 1, slotExpert, buffers.existing("slotToken"), slots, fill,
                slotPos, permToken);
        if (slots > 0) {
            launcher.launch("gather_rows_bf16", slots, 1, 256, 1, dx, permToken, slots, d, xp);
        }
        int[] ids = new int[slotExperts];
        for (int e = 0; e < slotExperts; e++) {
            ids[e] = e;
        }
        // Planning needs the counts on the host, so the permutation stage includes that round trip.
        ExpertStage.Plan plan = expertStage.prepare(ids, rows);
        launcher.record(2);
        expertStage.launch(plan, xp, yp);
        double[] flops = plan.flops();
        launcher.record(3);
        if (t > 0) {
            launcher.launch("combine_rows", t, 1, 256, 1, yp, slotPos, buffers.existing("weights"), t, k, shared, d, y);
        }
        launcher.record(4);
        launcher.synchronize(4);

        float[] out = new float[t * d];
        cuMemcpyDtoH(Pointer.to(out), y, out.length * 4L);
        Routing routing = readRouting(t);
        double expertStageUs = launcher.elapsedUs(2, 3);
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
        double routerUs = launcher.elapsedUs(0, 1);
        double permutationUs = launcher.elapsedUs(1, 2);
        double combineUs = launcher.elapsedUs(3, 4);
        double totalUs = launcher.elapsedUs(0, 4);
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
        PartitionRows part = PartitionRows.of(work, experts, t);
        int total = part.total();
        CUdeviceptr dx = uploadX(x);
        CUdeviceptr y = buffers.get("partY", (long) t * d * 4);
        cuMemsetD32(y, 0, (long) t * d);
        CUdeviceptr pt = buffers.upload("partToken", part.tokens());
        CUdeviceptr pw = buffers.upload("partWeight", part.weights());
        CUdeviceptr xp = buffers.get("xp", (long) total * d * 2);
        CUdeviceptr yp = buffers.get("yp", (long) total * d * 4);
        ExpertStage.Plan plan = expertStage.prepare(part.experts(), part.rows());
        launcher.record(0);
        if (total > 0) {
            launcher.launch("gather_rows_bf16", total, 1, 256, 1, dx, pt, total, d, xp);
        }
        expertStage.launch(plan, xp, yp);
        double[] flops = plan.flops();
        if (total > 0) {
            launcher.launch("scatter_add_rows", total, 1, 256, 1, yp, pt, pw, total, d, y);
        }
        launcher.record(1);
        launcher.synchronize(1);
        float[] out = new float[t * d];
        cuMemcpyDtoH(Pointer.to(out), y, out.length * 4L);
        double timeUs = launcher.elapsedUs(0, 1);
        double sum = 0;
        for (double f : flops) {
            sum += f;
        }
        double[] expertUs = new double[flops.length];
        for (int i = 0; i < flops.length; i++) {
            expertUs[i] = sum == 0 ? 0 : timeUs * flops[i] / sum;
        }
        return new PartitionRun(work.gpu(), new FloatMatrix(t, d, out), expertUs, total, timeUs);
    }

    @Override
    public void close() {
        backend.makeCurrent();
        buffers.freeAll();
        device.free();
        launcher.destroy();
    }
}
