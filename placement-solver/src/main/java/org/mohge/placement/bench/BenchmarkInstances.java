package org.mohge.placement.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.placement.PlacementProblem;

/**
 * The 20 seeded instances of the placement quality benchmark: MoHGE-style grouped layers of 64 to
 * 512 experts (2 to 4 groups, hidden sizes growing 1.5x group by group from 384, 512 or 768) on 8
 * to 128 H100s (8 per node, at least 4 experts per GPU), inference with 16384 tokens per GPU per
 * step, and skewed loads: small groups get more of the traffic (a random group mix tilted by 1.5x
 * per group) and each expert's load is log-normal around its group's mean (sigma 0.25-0.6, so the
 * busiest expert of a group gets about 2-4x the mean). Four instances allow spare copies.
 */
public final class BenchmarkInstances {
    /** (experts, GPUs, spare slots) of each instance. */
    private static final int[][] SIZES = {
        {64, 8, 0}, {64, 16, 0}, {64, 16, 8}, {128, 8, 0}, {128, 16, 0},
        {128, 32, 0}, {128, 32, 16}, {256, 8, 0}, {256, 16, 0}, {256, 32, 0},
        {256, 64, 0}, {256, 64, 32}, {320, 40, 0}, {384, 48, 0}, {512, 8, 0},
        {512, 16, 0}, {512, 32, 0}, {512, 64, 0}, {512, 128, 0}, {512, 128, 64},
    };

    private BenchmarkInstances() {
    }

    public record Instance(String name, PlacementProblem problem) {
    }

    public static int count() {
        return SIZES.length;
    }

    public static List<Instance> all(long seed, double solverSeconds, double unimprovedSeconds) {
        List<Instance> list = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            list.add(instance(i, seed, solverSeconds, unimprovedSeconds));
        }
        return list;
    }

    public static Instance instance(int index, long seed, double solverSeconds, double unimprovedSeconds) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        int experts = SIZES[index][0];
        int gpus = SIZES[index][1];
        int spare = SIZES[index][2];
        int groupCount = 2 + random.nextInt(3);
        int baseHidden = new int[] {384, 512, 768}[random.nextInt(3)];
        int d = random.nextBoolean() ? 2048 : 3072;
        List<ExpertGroup> groups = new ArrayList<>();
        int left = experts;
        for (int g = 0; g < groupCount; g++) {
            int n = g == groupCount - 1 ? left : experts / groupCount;
            int hidden = (int) Math.round(baseHidden * Math.pow(1.5, g) / 128) * 128;
            groups.add(new ExpertGroup(hidden, n));
            left -= n;
        }
        int topExperts = random.nextBoolean() ? 2 : 4;
        GroupedMoe moe = new GroupedMoe(groups, 2, topExperts, 0, 0, null);
        ModelSpec model = new ModelSpec(d, 4, 0, 0, 32000, false, null, new GqaAttention(16, 4, 128, null), moe);
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), gpus / 8, 8);
        long tokens = 16384L * gpus;
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, tokens, 4096, 1);

        double[] mix = new double[groupCount];
        double mixSum = 0;
        for (int g = 0; g < groupCount; g++) {
            mix[g] = (0.5 + random.nextDouble()) * Math.pow(1.5, -g);
            mixSum += mix[g];
        }
        double copies = (double) tokens * moe.routedExpertsPerToken();
        List<Double> loads = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            int n = groups.get(g).experts();
            double sigma = 0.25 + 0.35 * random.nextDouble();
            double[] weight = new double[n];
            double norm = 0;
            for (int j = 0; j < n; j++) {
                weight[j] = Math.exp(sigma * gaussian(random));
                norm += weight[j];
            }
            for (int j = 0; j < n; j++) {
                loads.add(copies * mix[g] / mixSum * weight[j] / norm);
            }
        }
        LoadProfile profile = new LoadProfile(List.of(new LayerLoad(0, loads)));
        PlacementProblem problem = new PlacementProblem(model, cluster, workload, profile, spare,
                PlacementProblem.UNLIMITED, solverSeconds, unimprovedSeconds, seed + index);
        String name = String.format(java.util.Locale.ROOT, "i%02d-%de-%dg%s-%dgr", index, experts, gpus,
                spare > 0 ? "-" + spare + "s" : "", groupCount);
        return new Instance(name, problem);
    }

    /** A standard normal draw (Box-Muller). */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
