package org.mohge.placement.evaluation;

import java.util.List;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.LayerCostBreakdown;
import org.mohge.costmodel.cost.LayerCostEstimator;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.placement.CoActivation;
import org.mohge.placement.PlacementProblem;

/**
 * Prices a placement exactly with the cost model: each profiled layer goes through
 * {@link LayerCostEstimator} (the per-GPU grouped GEMMs of {@link LayerOps#experts}, the
 * all-to-alls and the other stages), memory through {@link MemoryModel}. The linearised
 * {@link CopyCostTable} and the {@link LowerBounds} come with it.
 */
public final class PlacementEvaluator {
    private final PlacementProblem problem;
    private final CostModel costModel;
    private final LayerCostEstimator estimator;
    private final CopyCostTable costs;
    private final LowerBounds bounds;
    private final double[][] layerShares;
    private final double[] meanShares;

    public PlacementEvaluator(PlacementProblem problem, CostModel costModel) {
        this.problem = problem;
        this.costModel = costModel;
        this.estimator = new LayerCostEstimator(new LayerOps(problem.model(), costModel));
        this.costs = CopyCostTable.build(problem, costModel);
        this.bounds = LowerBounds.of(costs);
        this.layerShares = problem.layerShares();
        this.meanShares = problem.meanShares();
    }

    public PlacementProblem problem() {
        return problem;
    }

    public CostModel costModel() {
        return costModel;
    }

    public CopyCostTable costs() {
        return costs;
    }

    public LowerBounds lowerBounds() {
        return bounds;
    }

    public PlacementEvaluation evaluate(Placement placement) {
        int gpus = problem.gpuCount();
        if (placement.gpuCount() != gpus) {
            throw new IllegalArgumentException("placement has " + placement.gpuCount()
                    + " GPUs, the cluster has " + gpus);
        }
        if (placement.expertCount() != problem.expertCount()) {
            throw new IllegalArgumentException("placement has " + placement.expertCount()
                    + " experts, the model has " + problem.expertCount());
        }
        int layers = layerShares.length;
        double[] gpuTime = new double[gpus];
        double maxSum = 0;
        double meanSum = 0;
        double layerSum = 0;
        double interSum = 0;
        for (double[] shares : layerShares) {
            LayerCostBreakdown breakdown = estimator.estimate(problem.workload(), placement, shares);
            double[] t = breakdown.expertTimeUsPerGpu();
            double max = 0;
            double sum = 0;
            for (int g = 0; g < gpus; g++) {
                gpuTime[g] += t[g] / layers;
                max = Math.max(max, t[g]);
                sum += t[g];
            }
            maxSum += max;
            meanSum += sum / gpus;
            layerSum += breakdown.totalUs();
            interSum += breakdown.interNodeBytes();
        }
        double maxGpu = maxSum / layers;
        double meanGpu = meanSum / layers;

        List<MemoryEstimate> memory = MemoryModel.perGpu(problem.model(), problem.cluster(), problem.workload(),
                placement, meanShares);
        double[] memoryBytes = new double[gpus];
        double minHeadroom = Double.POSITIVE_INFINITY;
        boolean fits = true;
        for (MemoryEstimate m : memory) {
            memoryBytes[m.gpu()] = m.totalBytes();
            minHeadroom = Math.min(minHeadroom, m.headroomBytes());
            fits &= m.fits();
        }
        int maxCopies = 0;
        for (int c : placement.copiesPerGpu()) {
            maxCopies = Math.max(maxCopies, c);
        }
        int extra = placement.experts().stream().mapToInt(e -> e.replicas().size() - 1).sum();
        boolean withinLimits = extra <= problem.spareSlots() && maxCopies <= problem.maxExpertsPerGpu()
                && (problem.split() == TokenSplit.WEIGHTED || splitsEqually(placement));
        double gap = bounds.boundUs() > 0 ? maxGpu / bounds.boundUs() - 1 : 0;
        return new PlacementEvaluation(placement.strategy(), gpuTime, maxGpu, meanGpu,
                meanGpu > 0 ? maxGpu / meanGpu : 1, layerSum / layers, memoryBytes, minHeadroom, fits, maxCopies,
                extra, withinLimits, interSum / layers, coActivationBytes(placement), bounds, gap);
    }

    /**
     * True when every copy of every expert serves a whole number of equal parts of its tokens
     * (1/r each, or k/r for k physical copies held on one GPU), what an {@code equal} split allows.
     */
    public static boolean splitsEqually(Placement placement) {
        for (ExpertPlacement e : placement.experts()) {
            double smallest = 1;
            for (ExpertReplica r : e.replicas()) {
                smallest = Math.min(smallest, r.share());
            }
            if (smallest <= 0) {
                return false;
            }
            for (ExpertReplica r : e.replicas()) {
                double parts = r.share() / smallest;
                if (Math.abs(parts - Math.rint(parts)) > 1e-6) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * For each co-activated pair, the share of its tokens whose two experts meet on different
     * nodes (copies split an expert's tokens by their shares), times the bytes such a token adds.
     */
    private double coActivationBytes(Placement placement) {
        double bytes = 0;
        for (CoActivation pair : problem.coActivation()) {
            double split = 0;
            for (ExpertReplica a : placement.experts().get(pair.expertA()).replicas()) {
                for (ExpertReplica b : placement.experts().get(pair.expertB()).replicas()) {
                    if (!problem.cluster().sameNode(a.gpu(), b.gpu())) {
                        split += a.share() * b.share();
                    }
                }
            }
            bytes += pair.tokensPerStep() * split * problem.bytesPerSplitCoActivation();
        }
        return bytes;
    }
}
