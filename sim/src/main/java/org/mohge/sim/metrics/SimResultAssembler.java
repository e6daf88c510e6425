package org.mohge.sim.metrics;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.workload.WorkloadSpec;

/**
 * Reads the collectors after the last step and builds the {@link SimResult}: per-step means of
 * step time, stage times, per-layer balance and bytes, per-GPU busy, link and idle time, group
 * usage, activated parameters as routed and memory per GPU at the routed expert shares.
 */
public final class SimResultAssembler {

    /** What the result is labelled with. */
    public record Labels(String placement, String fidelity, String costModel, long seed, boolean dualBatchOverlap) {
    }

    private SimResultAssembler() {
    }

    public static SimResult assemble(ModelSpec model, ClusterSpec cluster, WorkloadSpec workload, LayeredPlacement placement,
                                     Labels labels, ScheduleCollector schedule, TrafficCollector traffic,
                                     ExpertLoadCollector load) {
        MoeLayerSpec moe = model.moe();
        List<ExpertShape> shapes = moe.expertShapes();
        int experts = shapes.size();
        int gpus = cluster.gpuCount();
        List<Double> stepTimes = schedule.stepTimesUs;
        int steps = stepTimes.size();
        double stepUs = stepTimes.stream().mapToDouble(Double::doubleValue).sum() / steps;
        double tokensPerSecond = stepUs > 0 ? workload.tokensPerStep() / (stepUs * 1e-6) : 0;

        double[] expertCopies = traffic.expertCopies;
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
        double[][][] stageNs = schedule.stageNs;
        for (int i = 0; i < schedule.stageOrder.size(); i++) {
            double fwd = 0;
            double bwd = 0;
            double max = 0;
            for (int g = 0; g < gpus; g++) {
                fwd += stageNs[i][0][g];
                bwd += stageNs[i][1][g];
                max = Math.max(max, stageNs[i][0][g] + stageNs[i][1][g]);
            }
            if (fwd + bwd > 0) {
                stages.add(new StageTime(schedule.stageOrder.get(i).label(), fwd / gpus / steps / 1000.0,
                        bwd / gpus / steps / 1000.0, max / steps / 1000.0));
            }
        }

        double[][] layerExpertNs = load.layerExpertNs;
        double[][] layerTokens = load.layerTokens;
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
            intra += traffic.layerIntraBytes[l] / steps;
            inter += traffic.layerInterBytes[l] / steps;
            layers.add(new LayerStats(model.denseLayers() + l, l, imbalance, tokenImbalance, maxT / steps / 1000.0,
                    sumT / gpus / steps / 1000.0, maxTok / steps, sumTok / gpus / steps,
                    traffic.layerIntraBytes[l] / steps, traffic.layerInterBytes[l] / steps));
        }

        List<MemoryEstimate> memory = MemoryModel.perGpu(model, cluster, workload, placement, shares);
        double peak = 0;
        for (MemoryEstimate m : memory) {
            peak = Math.max(peak, m.totalBytes());
        }
        List<GpuStats> gpuStats = new ArrayList<>();
        double utilSum = 0;
        for (int g = 0; g < gpus; g++) {
            double busyUs = schedule.computeNs[g] / steps / 1000.0;
            double utilisation = stepUs > 0 ? busyUs / stepUs : 0;
            utilSum += utilisation;
            double expertUs = 0;
            double received = 0;
            for (int l = 0; l < model.moeLayers(); l++) {
                expertUs += layerExpertNs[l][g];
                received += layerTokens[l][g];
            }
            gpuStats.add(new GpuStats(g, cluster.nodeOf(g), busyUs, schedule.commNs[g] / steps / 1000.0,
                    schedule.idleNs[g] / steps / 1000.0, utilisation, expertUs / steps / 1000.0, received / steps,
                    traffic.gpuSentBytes[g] / steps, traffic.gpuReceivedBytes[g] / steps, memory.get(g).totalBytes(),
                    memory.get(g).capacityBytes()));
        }
        List<List<Double>> nodeTraffic = perStep(traffic.nodeTrafficBytes, steps);
        List<List<Double>> gpuTraffic = perStep(traffic.gpuTrafficBytes, steps);
        return new SimResult(labels.placement(), labels.fidelity(), labels.costModel(), labels.seed(), steps,
                workload.microBatches(), labels.dualBatchOverlap(), gpus, workload.tokensPerStep(), stepUs, stepTimes,
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
}
