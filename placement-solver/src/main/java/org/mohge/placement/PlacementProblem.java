package org.mohge.placement;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.deploy.PlacementSpec;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.workload.WorkloadSpec;

/**
 * One placement question: place the routed experts of {@code model} on the GPUs of
 * {@code cluster} for {@code workload}, whose expert loads (tokens per step, in model expert
 * order) are {@code loads}. At most {@code spareSlots} extra copies may be added over all experts;
 * no GPU may hold more than {@code maxExpertsPerGpu} copies ({@link #UNLIMITED} for no cap).
 * Searches are bounded by counts scaled from the instance, so {@code seed} makes them repeatable on
 * any machine; {@code solverSeconds} is an optional wall-clock cap ({@link #NO_CLOCK_CAP} for
 * none), reported when it cuts a run short; {@code unimprovedSeconds} is accepted for old
 * scenarios and no longer used (the unimproved limits are counts). {@code coActivation} (optional, may be empty) weights
 * pairs of experts that tokens pick together, for node locality. {@code split} is how an expert's
 * tokens split between its copies: every strategy obeys it, and the evaluator prices the shares.
 */
public record PlacementProblem(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, LoadProfile loads,
                               int spareSlots, int maxExpertsPerGpu, double solverSeconds, double unimprovedSeconds,
                               long seed, List<CoActivation> coActivation, TokenSplit split) {

    public static final int UNLIMITED = Integer.MAX_VALUE;
    /** {@code solverSeconds} of a run without a wall-clock cap. */
    public static final double NO_CLOCK_CAP = Double.POSITIVE_INFINITY;

    public PlacementProblem {
        Require.present(model, "model");
        Require.present(cluster, "cluster");
        Require.present(workload, "workload");
        Require.present(loads, "loads");
        int experts = model.moe().expertCount();
        Require.check(loads.expertCount() == experts, "loads.layers[0].expertLoads",
                "must have one entry per expert of the model (" + experts + "), got " + loads.expertCount());
        Require.nonNegative(spareSlots, "spareSlots");
        Require.positive(maxExpertsPerGpu, "maxExpertsPerGpu");
        Require.check(solverSeconds > 0, "solverSeconds", "must be > 0 (infinite for no clock cap), got " + solverSeconds);
        Require.positive(unimprovedSeconds, "unimprovedSeconds");
        coActivation = coActivation == null ? List.of() : List.copyOf(coActivation);
        split = split == null ? TokenSplit.EQUAL : split;
        for (int i = 0; i < coActivation.size(); i++) {
            CoActivation pair = coActivation.get(i);
            Require.check(pair.expertA() < experts && pair.expertB() < experts, "coActivation[" + i + "]",
                    "names an expert the model does not have (" + experts + " experts)");
        }
    }

    /** A problem with equal token splits. */
    public PlacementProblem(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, LoadProfile loads,
                            int spareSlots, int maxExpertsPerGpu, double solverSeconds, double unimprovedSeconds,
                            long seed, List<CoActivation> coActivation) {
        this(model, cluster, workload, loads, spareSlots, maxExpertsPerGpu, solverSeconds, unimprovedSeconds, seed,
                coActivation, TokenSplit.EQUAL);
    }

    /** A problem without co-activation weights. */
    public PlacementProblem(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, LoadProfile loads,
                            int spareSlots, int maxExpertsPerGpu, double solverSeconds, double unimprovedSeconds,
                            long seed) {
        this(model, cluster, workload, loads, spareSlots, maxExpertsPerGpu, solverSeconds, unimprovedSeconds, seed,
                List.of());
    }

    /** The problem a scenario's {@code placement} section describes. */
    public static PlacementProblem of(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, LoadProfile loads,
                                      PlacementSpec spec, long seed) {
        return new PlacementProblem(model, cluster, workload, loads, spec.spareSlots(),
                spec.maxExpertsPerGpu() == null ? UNLIMITED : spec.maxExpertsPerGpu(),
                spec.solverSeconds() == null ? NO_CLOCK_CAP : spec.solverSeconds(), spec.unimprovedSeconds(), seed,
                List.of(), spec.split());
    }

    /**
     * Expected loads when nothing better is known: {@code tokensPerStep * routedExpertsPerToken}
     * copies spread by the layer's default expert shares, for one layer.
     */
    public static LoadProfile defaultLoads(ModelSpec model, WorkloadSpec workload) {
        MoeLayerSpec moe = model.moe();
        double copies = (double) workload.tokensPerStep() * moe.routedExpertsPerToken();
        double[] shares = moe.defaultExpertShares();
        List<Double> loads = new ArrayList<>(shares.length);
        for (double s : shares) {
            loads.add(copies * s);
        }
        return new LoadProfile(List.of(new LayerLoad(0, loads)));
    }

    public int gpuCount() {
        return cluster.gpuCount();
    }

    public int expertCount() {
        return model.moe().expertCount();
    }

    public boolean capsExpertsPerGpu() {
        return maxExpertsPerGpu != UNLIMITED;
    }

    /** True when {@code solverSeconds} caps the searches' wall-clock time. */
    public boolean capsClock() {
        return Double.isFinite(solverSeconds);
    }

    /** Problem with another wall-clock cap (the CLI's {@code --seconds}). */
    public PlacementProblem withSolverSeconds(double seconds) {
        return new PlacementProblem(model, cluster, workload, loads, spareSlots, maxExpertsPerGpu, seconds,
                Math.min(unimprovedSeconds, seconds), seed, coActivation, split);
    }

    /** Problem with co-activation weights for node locality. */
    public PlacementProblem withCoActivation(List<CoActivation> pairs) {
        return new PlacementProblem(model, cluster, workload, loads, spareSlots, maxExpertsPerGpu, solverSeconds,
                unimprovedSeconds, seed, pairs, split);
    }

    /** Problem with another token split rule. */
    public PlacementProblem withSplit(TokenSplit newSplit) {
        return new PlacementProblem(model, cluster, workload, loads, spareSlots, maxExpertsPerGpu, solverSeconds,
                unimprovedSeconds, seed, coActivation, newSplit);
    }

    /** Number of profiled MoE layers in {@code loads}. */
    public int layerCount() {
        return loads.layers().size();
    }

    /**
     * The same question for profiled layer {@code index} alone (its own loads; the seed mixed
     * with the index, so layers search differently but repeatably).
     */
    public PlacementProblem forLayer(int index) {
        LoadProfile one = new LoadProfile(List.of(loads.layers().get(index)));
        return new PlacementProblem(model, cluster, workload, one, spareSlots, maxExpertsPerGpu, solverSeconds,
                unimprovedSeconds, seed + 0x9E3779B97F4A7C15L * index, coActivation, split);
    }

    /** The copies per GPU EPLB uses: all physical slots (experts plus spare slots) over the GPUs, rounded up. */
    public int eplbSlotsPerGpu() {
        return (expertCount() + spareSlots + gpuCount() - 1) / gpuCount();
    }

    /**
     * Inter-node bytes per micro-batch that one co-activated token (per step) costs when its two
     * experts sit on different nodes: its hidden state once more in dispatch and once in combine.
     */
    public double bytesPerSplitCoActivation() {
        return 2.0 * model.hiddenSize() * model.bytesPerValue() / workload.microBatches();
    }

    /**
     * Each profiled layer's share of routed-expert activations per expert (rows sum to 1; an
     * all-zero layer gets even shares).
     */
    public double[][] layerShares() {
        double[][] shares = new double[loads.layers().size()][];
        for (int l = 0; l < shares.length; l++) {
            double[] row = loads.layers().get(l).loads();
            double total = 0;
            for (double v : row) {
                total += v;
            }
            for (int e = 0; e < row.length; e++) {
                row[e] = total > 0 ? row[e] / total : 1.0 / row.length;
            }
            shares[l] = row;
        }
        return shares;
    }

    /** Mean over profiled layers of {@link #layerShares()}. */
    public double[] meanShares() {
        double[][] layers = layerShares();
        double[] mean = new double[expertCount()];
        for (double[] row : layers) {
            for (int e = 0; e < mean.length; e++) {
                mean[e] += row[e] / layers.length;
            }
        }
        return mean;
    }

    /**
     * Routed token copies expert {@code e} receives in one micro-batch of the whole cluster, per
     * profiled layer: its share of {@code tokensPerStep / microBatches * routedExpertsPerToken}
     * (the convention of {@code LayerCostEstimator}, so placement and simulator agree).
     */
    public double[][] layerExpertTokens() {
        double copies = (double) workload.tokensPerStep() / workload.microBatches()
                * model.moe().routedExpertsPerToken();
        double[][] shares = layerShares();
        for (double[] row : shares) {
            for (int e = 0; e < row.length; e++) {
                row[e] *= copies;
            }
        }
        return shares;
    }
}
