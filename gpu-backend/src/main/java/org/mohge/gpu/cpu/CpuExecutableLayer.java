package org.mohge.gpu.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mohge.costmodel.arch.MoeLayerSpec;
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
 * A layer on the CPU backend. Forward pass: router GEMM and top-k; permutation (counting sort of
 * the token-expert slots by expert, then a gather of X rows); routed experts as independent
 * (expert, row block) tasks; shared experts as row-block tasks; combine
 * {@code Y[t] = sum_s w[t,s] * Yperm[slot(t,s)]} in slot order, then each shared expert's output
 * added in index order.
 */
final class CpuExecutableLayer implements ExecutableLayer {
    /** Rows per expert task: enough work per task, small enough to spread few experts over threads. */
    static final int ROW_BLOCK = 64;
    private static final int ROUTER_BLOCK = 128;

    private final CpuLayerBackend backend;
    private final LayerWeights w;
    private final MoeLayerSpec spec;
    private final int d;

    CpuExecutableLayer(CpuLayerBackend backend, LayerWeights weights) {
        this.backend = backend;
        this.w = weights;
        this.spec = weights.spec();
        this.d = weights.modelHidden();
    }

    @Override
    public LayerWeights weights() {
        return w;
    }

    private void checkInput(FloatMatrix x) {
        if (x.cols() != d) {
            throw new IllegalArgumentException("x must have " + d + " columns (the model hidden size), got " + x.cols());
        }
    }

    @Override
    public Routing route(FloatMatrix x) {
        checkInput(x);
        int t = x.rows();
        int e = w.expertCount();
        int ng = LayerWeights.groupCount(spec);
        float[] logits = new float[t * e];
        float[] groupLogits = new float[t * Math.max(ng, 0)];
        Routing routing = TopKRouter.allocate(spec, t);
        backend.parallelRanges(t, ROUTER_BLOCK, (s, end) -> {
            Gemm.multiply(x.data(), s * d, d, w.expertGate().data(), 0, e, logits, s * e, e, end - s, e, d, false);
            if (ng > 0) {
                Gemm.multiply(x.data(), s * d, d, w.groupGate().data(), 0, ng, groupLogits, s * ng, ng, end - s, ng, d,
                        false);
            }
            TopKRouter.route(spec, logits, groupLogits, s, end, routing.experts(), routing.weights(), routing.groups());
        });
        return routing;
    }

    @Override
    public LayerRun forward(FloatMatrix x) {
        return forward(x, null);
    }

    @Override
    public LayerRun forward(FloatMatrix x, Placement placement) {
        checkInput(x);
        long start = System.nanoTime();
        Routing routing = route(x);
        long routed = System.nanoTime();

        int t = x.rows();
        int k = routing.expertsPerToken();
        int e = w.expertCount();
        // Permutation: counting sort of slots by expert (stable: token order, then slot order).
        int[] counts = routing.tokensPerExpert(e);
        int[] offsets = new int[e + 1];
        for (int i = 0; i < e; i++) {
            offsets[i + 1] = offsets[i] + counts[i];
        }
        int[] fill = offsets.clone();
        int[] slotPos = new int[t * k];
        int[] permToken = new int[t * k];
        for (int tok = 0; tok < t; tok++) {
            for (int s = 0; s < k; s++) {
                int pos = fill[routing.expert(tok, s)]++;
                slotPos[tok * k + s] = pos;
                permToken[pos] = tok;
            }
        }
        float[] xp = new float[t * k * d];
        backend.parallelRanges(t * k, 1024, (s, end) -> {
            for (int p = s; p < end; p++) {
                System.arraycopy(x.data(), permToken[p] * d, xp, p * d, d);
            }
        });
        long permuted = System.nanoTime();

        float[] yp = new float[t * k * d];
        AtomicLongArray busy = new AtomicLongArray(e);
        runExperts(xp, yp, offsets, busy);
        long expertsDone = System.nanoTime();

        List<float[]> shared = new ArrayList<>();
        List<Runnable> sharedTasks = new ArrayList<>();
        for (ExpertWeights sw : w.sharedExperts()) {
            float[] out = new float[t * d];
            shared.add(out);
            for (int s = 0; s < t; s += ROW_BLOCK) {
                int s0 = s;
                int rows = Math.min(ROW_BLOCK, t - s);
                sharedTasks.add(() -> ExpertKernels.ffn(sw, x.data(), s0 * d, rows, out, s0 * d,
                        new float[2 * rows * sw.hidden()]));
            }
        }
        backend.runAll(sharedTasks);
        long sharedDone = System.nanoTime();

        float[] y = new float[t * d];
        backend.parallelRanges(t, 256, (s, end) -> {
            for (int tok = s; tok < end; tok++) {
                int row = tok * d;
                for (int slot = 0; slot < k; slot++) {
                    float wt = routing.weight(tok, slot);
                    int src = slotPos[tok * k + slot] * d;
                    for (int c = 0; c < d; c++) {
                        y[row + c] += wt * yp[src + c];
                    }
                }
                for (float[] out : shared) {
                    for (int c = 0; c < d; c++) {
                        y[row + c] += out[row + c];
                    }
                }
            }
        });
        long end = System.nanoTime();

        double[] expertUs = new double[e];
        for (int i = 0; i < e; i++) {
            expertUs[i] = busy.get(i) / 1e3;
        }
        List<PartitionTiming> partitions = new ArrayList<>();
        if (placement != null) {
            for (PartitionWork work : PartitionWork.split(routing, placement)) {
                PartitionRun run = runPartition(x, work);
                partitions.add(new PartitionTiming(work.gpu(), work.experts().size(), run.activations(), run.timeUs()));
            }
        }
        StageTimings timings = new StageTimings(us(routed - start), us(permuted - routed), us(expertsDone - permuted),
                us(sharedDone - expertsDone), us(end - sharedDone), us(end - start), expertUs, partitions);
        return new LayerRun("cpu", new FloatMatrix(t, d, y), routing, timings);
    }

    /** Runs every routed expert on its segment {@code [offsets[e], offsets[e+1])} of the permuted rows. */
    private void runExperts(float[] xp, float[] yp, int[] offsets, AtomicLongArray busy) {
        List<Runnable> tasks = new ArrayList<>();
        for (int ex = 0; ex < w.expertCount(); ex++) {
            ExpertWeights ew = w.experts().get(ex);
            int expert = ex;
            for (int r = offsets[ex]; r < offsets[ex + 1]; r += ROW_BLOCK) {
                int r0 = r;
                int rows = Math.min(ROW_BLOCK, offsets[ex + 1] - r);
                tasks.add(() -> {
                    long t0 = System.nanoTime();
                    ExpertKernels.ffn(ew, xp, r0 * d, rows, yp, r0 * d, new float[2 * rows * ew.hidden()]);
                    busy.addAndGet(expert, System.nanoTime() - t0);
                });
            }
        }
        backend.runAll(tasks);
    }

    @Override
    public PartitionRun runPartition(FloatMatrix x, PartitionWork work) {
        checkInput(x);
        long start = System.nanoTime();
        List<ExpertTokens> experts = work.experts();
        int n = experts.size();
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + experts.get(i).tokens().length;
        }
        int total = offsets[n];
        float[] xp = new float[total * d];
        for (int i = 0; i < n; i++) {
            int[] tokens = experts.get(i).tokens();
            for (int j = 0; j < tokens.length; j++) {
                if (tokens[j] < 0 || tokens[j] >= x.rows()) {
                    throw new IllegalArgumentException("partition " + work.gpu() + " expert " + experts.get(i).expert()
                            + " has token " + tokens[j] + " outside [0, " + x.rows() + ")");
                }
                System.arraycopy(x.data(), tokens[j] * d, xp, (offsets[i] + j) * d, d);
            }
        }
        float[] yp = new float[total * d];
        AtomicLongArray busy = new AtomicLongArray(n);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int slot = i;
            ExpertWeights ew = w.experts().get(experts.get(i).expert());
            for (int r = offsets[i]; r < offsets[i + 1]; r += ROW_BLOCK) {
                int r0 = r;
                int rows = Math.min(ROW_BLOCK, offsets[i + 1] - r);
                tasks.add(() -> {
                    long t0 = System.nanoTime();
                    ExpertKernels.ffn(ew, xp, r0 * d, rows, yp, r0 * d, new float[2 * rows * ew.hidden()]);
                    busy.addAndGet(slot, System.nanoTime() - t0);
                });
            }
        }
        backend.runAll(tasks);
        float[] y = new float[x.rows() * d];
        for (int i = 0; i < n; i++) {
            ExpertTokens et = experts.get(i);
            for (int j = 0; j < et.tokens().length; j++) {
                int dst = et.tokens()[j] * d;
                int src = (offsets[i] + j) * d;
                float wt = et.weights()[j];
                for (int c = 0; c < d; c++) {
                    y[dst + c] += wt * yp[src + c];
                }
            }
        }
        long end = System.nanoTime();
        double[] expertUs = new double[n];
        for (int i = 0; i < n; i++) {
            expertUs[i] = busy.get(i) / 1e3;
        }
        return new PartitionRun(work.gpu(), new FloatMatrix(x.rows(), d, y), expertUs, total, us(end - start));
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }

    @Override
    public void close() {
        // Nothing held beyond the Java heap.
    }
}
