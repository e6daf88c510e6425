package org.mohge.placement.evaluation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.HeldCopy;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.placement.PlacementProblem;

/**
 * What one copy of an expert costs a GPU, linearised so that a GPU's cost is a sum over the
 * copies it holds: the strategies and the constraint streams add these figures up, the
 * {@link PlacementEvaluator} then prices the final placement exactly.
 *
 * <p>Time: a GPU's expert stage is a grouped GEMM whose time is, up to wave and tile
 * quantization, the sum of its experts' tile work spread over all SMs. The per-copy figure is the
 * slope of the cost model itself: with {@code K = smCount} identical copies the grouped GEMM runs
 * whole waves, so {@code (t(2K) - t(K)) / K} is one copy's share of a full wave (compute or HBM
 * bound, whichever the copy is) and {@code 2 t(K) - t(2K)} is the fixed per-GPU part (kernel
 * launches). For a copy of expert {@code e} among {@code r} copies, the copy serves
 * {@code tokens_e / r} tokens; the figure is averaged over the profiled layers.
 *
 * <p>Memory: a GPU needs a fixed part (every non-expert weight, its optimizer share and the
 * attention activations) plus, per copy, the expert's weights (and, for training, gradients and
 * Adam state) and the activations of the tokens it serves: the same accounting as
 * {@link MemoryModel}, split into the part that depends on the copy. {@link #expertBudgetBytes()}
 * is the HBM capacity minus the fixed part.
 */
public final class CopyCostTable {
    /**
     * Computes (time, bytes, alone time, the part of the bytes no share changes) for expert
     * {@code e} held in {@code copies} copies.
     */
    @FunctionalInterface
    interface CopyCostFunction {
        double[] cost(int expert, int copies);
    }

    private final int gpuCount;
    private final int maxCopiesPerExpert;
    private final int maxExpertsPerGpu;
    private final int spareSlots;
    private final double expertBudgetBytes;
    private final double fixedUs;
    private double[] commUsPerCopyAlone = new double[0];
    private final double[][] timeUs;
    private final double[][] bytes;
    private final double[][] aloneUs;
    /** Per expert, the bytes a copy needs whatever share of the tokens it serves (weights, training state). */
    private final double[] shareIndependentBytes;
    private final CopyCostFunction function;

    /**
     * A table given in full, for tests and hand-made instances: {@code copyTimeUs[e][r - 1]} and
     * {@code copyBytes[e][r - 1]} are the time and bytes of one copy of expert e held in r copies.
     */
    public CopyCostTable(int gpuCount, double[][] copyTimeUs, double[][] copyBytes, double expertBudgetBytes,
                         double fixedUs, int maxExpertsPerGpu, int spareSlots) {
        this(gpuCount, copyTimeUs[0].length, maxExpertsPerGpu, spareSlots, expertBudgetBytes, fixedUs,
                copyTimeUs.length, null);
        for (int e = 0; e < copyTimeUs.length; e++) {
            if (copyTimeUs[e].length != maxCopiesPerExpert || copyBytes[e].length != maxCopiesPerExpert) {
                throw new IllegalArgumentException("every expert needs " + maxCopiesPerExpert + " entries");
            }
            timeUs[e] = copyTimeUs[e].clone();
            bytes[e] = copyBytes[e].clone();
            shareIndependentBytes[e] = copyBytes[e][0]; // a hand-made table has no token part
            for (int r = 0; r < maxCopiesPerExpert; r++) {
                aloneUs[e][r] = fixedUs + copyTimeUs[e][r];
            }
        }
    }

    private CopyCostTable(int gpuCount, int maxCopiesPerExpert, int maxExpertsPerGpu, int spareSlots,
                          double expertBudgetBytes, double fixedUs, int experts, CopyCostFunction function) {
        if (maxCopiesPerExpert < 1) {
            throw new IllegalArgumentException("maxCopiesPerExpert must be >= 1, got " + maxCopiesPerExpert);
        }
        this.gpuCount = gpuCount;
        this.maxCopiesPerExpert = maxCopiesPerExpert;
        this.maxExpertsPerGpu = maxExpertsPerGpu;
        this.spareSlots = spareSlots;
        this.expertBudgetBytes = expertBudgetBytes;
        this.fixedUs = fixedUs;
        this.function = function;
        this.timeUs = new double[experts][maxCopiesPerExpert];
        this.bytes = new double[experts][maxCopiesPerExpert];
        this.aloneUs = new double[experts][maxCopiesPerExpert];
        this.shareIndependentBytes = new double[experts];
        for (int e = 0; e < experts; e++) {
            Arrays.fill(timeUs[e], Double.NaN);
        }
    }

    /** The table of a placement problem, priced by {@code costModel}. */
    public static CopyCostTable build(PlacementProblem problem, CostModel costModel) {
        ModelSpec model = problem.model();
        MoeLayerSpec moe = model.moe();
        List<ExpertShape> shapes = moe.expertShapes();
        LayerOps ops = new LayerOps(model, costModel);
        int sms = problem.cluster().gpu().smCount();
        double[][] layerTokens = problem.layerExpertTokens();
        double[] meanShares = problem.meanShares();
        int gpus = problem.gpuCount();
        int d = model.hiddenSize();
        boolean training = problem.workload().training();
        double clusterCopies = problem.workload().tokensPerGpuPerMicroBatch(gpus) * gpus * moe.routedExpertsPerToken();

        Map<Long, Double> slopes = new HashMap<>();
        CopyCostFunction function = (e, r) -> {
            ExpertShape shape = shapes.get(e);
            double time = 0;
            double alone = 0;
            for (double[] tokens : layerTokens) {
                double m = tokens[e] / r;
                long key = ((long) Math.ceil(m - 1e-9) << 24) ^ shape.hidden();
                time += slopes.computeIfAbsent(key, k -> slopeUs(ops, sms, m, shape.hidden()));
                alone += expertsUs(ops, 1, m, shape.hidden());
            }
            time /= layerTokens.length;
            alone /= layerTokens.length;
            double copies = clusterCopies * meanShares[e] / r;
            // What the copy needs whatever share it serves, and what its share of the tokens adds.
            MemoryModel.CopyBytes mem = MemoryModel.copyBytes(model, problem.workload(), shape, copies);
            double fixedMem = mem.fixedBytes();
            double tokenMem = mem.tokenBytes();
            return new double[] {time, fixedMem + tokenMem, alone, fixedMem};
        };
        double fixedUs = fixedUs(ops, sms, costModel.gemmTileRows(), shapes.get(0).hidden());
        int maxCopies = Math.min(gpus, 1 + problem.spareSlots());
        CopyCostTable table = new CopyCostTable(gpus, maxCopies, problem.maxExpertsPerGpu(), problem.spareSlots(),
                0, fixedUs, shapes.size(), function);
        // Dispatch and combine: the GPU receives each of its tokens' hidden states and sends them
        // back; the all-to-all spreads them over NVLink and NICs in proportion to where the
        // senders sit, and the slower share bounds the time.
        double tokenBytes = (double) d * model.bytesPerValue();
        double usPerToken = 2 * tokenBytes * costModel.spreadAllToAllUsPerByte();
        double[] comm = new double[shapes.size()];
        for (double[] tokens : layerTokens) {
            for (int e = 0; e < comm.length; e++) {
                comm[e] += tokens[e] * usPerToken / layerTokens.length;
            }
        }
        // Fixed memory: what GPU 0 needs under any placement, less the copies it holds there.
        Placement reference = Placements.contiguous(moe, gpus);
        double gpu0 = MemoryModel.perGpu(model, problem.cluster(), problem.workload(), reference, meanShares)
                .get(0).totalBytes();
        for (HeldCopy held : reference.copiesByGpu().get(0)) {
            gpu0 -= table.copyBytes(held.expert(), 1);
        }
        double budget = problem.cluster().gpu().hbmBytes() - gpu0;
        CopyCostTable result = table.withBudget(budget);
        result.commUsPerCopyAlone = comm;
        return result;
    }

    private CopyCostTable withBudget(double budgetBytes) {
        CopyCostTable copy = new CopyCostTable(gpuCount, maxCopiesPerExpert, maxExpertsPerGpu, spareSlots,
                budgetBytes, fixedUs, timeUs.length, function);
        for (int e = 0; e < timeUs.length; e++) {
            copy.timeUs[e] = timeUs[e];
            copy.bytes[e] = bytes[e];
            copy.aloneUs[e] = aloneUs[e];
            copy.shareIndependentBytes[e] = shareIndependentBytes[e];
        }
        return copy;
    }

    private static double slopeUs(LayerOps ops, int sms, double tokens, int hidden) {
        if (Math.ceil(tokens - 1e-9) <= 0) {
            return 0;
        }
        return (expertsUs(ops, 2 * sms, tokens, hidden) - expertsUs(ops, sms, tokens, hidden)) / sms;
    }

    /** The launch and setup time: two waves of one-tile copies less their work (the slope's intercept). */
    private static double fixedUs(LayerOps ops, int sms, int tileRows, int hidden) {
        double tokens = tileRows;
        return 2 * expertsUs(ops, sms, tokens, hidden) - expertsUs(ops, 2 * sms, tokens, hidden);
    }

    private static double expertsUs(LayerOps ops, int copies, double tokens, int hidden) {
        double[] t = new double[copies];
        int[] h = new int[copies];
        Arrays.fill(t, tokens);
        Arrays.fill(h, hidden);
        return ops.experts(t, h).timeUs();
    }

    private void fill(int e, int copies) {
        if (Double.isNaN(timeUs[e][copies - 1])) {
            double[] cost = function.cost(e, copies);
            timeUs[e][copies - 1] = cost[0];
            bytes[e][copies - 1] = cost[1];
            aloneUs[e][copies - 1] = cost[2];
            if (copies == 1) {
                shareIndependentBytes[e] = cost[3];
            }
        }
    }

    private void checkCopies(int copies) {
        if (copies < 1 || copies > maxCopiesPerExpert) {
            throw new IllegalArgumentException("copies must be in [1, " + maxCopiesPerExpert + "], got " + copies);
        }
    }

    /** Linearised expert time one copy of {@code expert} adds to its GPU when the expert has {@code copies} copies. */
    public double copyTimeUs(int expert, int copies) {
        checkCopies(copies);
        fill(expert, copies);
        return timeUs[expert][copies - 1];
    }

    /**
     * Dispatch-and-combine time the tokens of one copy of {@code expert} (of {@code copies}) add to
     * its GPU's all-to-all, forward (0 for a hand-made table).
     */
    public double copyCommUs(int expert, int copies) {
        checkCopies(copies);
        return commUsPerCopyAlone.length == 0 ? 0 : commUsPerCopyAlone[expert] / copies;
    }

    /** HBM bytes one copy of {@code expert} needs when the expert has {@code copies} copies. */
    public double copyBytes(int expert, int copies) {
        checkCopies(copies);
        fill(expert, copies);
        return bytes[expert][copies - 1];
    }

    /**
     * HBM bytes a copy of {@code expert} needs when it serves {@code share} of the expert's tokens
     * (uneven shares after a re-split): the share-independent part plus the share's activations,
     * as {@link MemoryModel} counts them. A hand-made table has no token part.
     */
    public double copyBytesForShare(int expert, double share) {
        fill(expert, 1);
        return shareIndependentBytes[expert] + (bytes[expert][0] - shareIndependentBytes[expert]) * share;
    }

    /**
     * Exact expert time of a GPU that holds only one copy of {@code expert} (of {@code copies}):
     * the copy's own grouped GEMMs, with their tile and wave quantization and launches. For a
     * hand-made table, {@code fixedUs + copyTimeUs}.
     */
    public double aloneTimeUs(int expert, int copies) {
        checkCopies(copies);
        fill(expert, copies);
        return aloneUs[expert][copies - 1];
    }

    public int expertCount() {
        return timeUs.length;
    }

    public int gpuCount() {
        return gpuCount;
    }

    /** Most copies one expert may have: {@code min(gpus, 1 + spareSlots)}. */
    public int maxCopiesPerExpert() {
        return maxCopiesPerExpert;
    }

    /** Cap on copies per GPU ({@link PlacementProblem#UNLIMITED} when none). */
    public int maxExpertsPerGpu() {
        return maxExpertsPerGpu;
    }

    public int spareSlots() {
        return spareSlots;
    }

    /** HBM bytes each GPU has left for expert copies. */
    public double expertBudgetBytes() {
        return expertBudgetBytes;
    }

    /** Fixed expert-stage time of a GPU that holds at least one active copy (kernel launches). */
    public double fixedUs() {
        return fixedUs;
    }

    /** Total linearised expert work with one copy of every expert (the least any placement does). */
    public double totalSingleCopyUs() {
        double sum = 0;
        for (int e = 0; e < expertCount(); e++) {
            sum += copyTimeUs(e, 1);
        }
        return sum;
    }
}
