package org.mohge.placement.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.load.LayerLoad;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.placement.LayeredPlacementRunner;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.PlacementComparison;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.PlacementRunner;

/**
 * Per-layer placement benchmark (printed figures, not a test), on one thread.
 *
 * <p>Part 1, the 20 instances of {@link BenchmarkInstances} under both token splits: max GPU
 * expert time (us) of {@code eplb}, {@code replicate}, {@code fast} and (optionally)
 * {@code optaplanner}, each strategy's time in ms; counts the instances where {@code fast} is
 * worse than {@code eplb}.
 *
 * <p>Part 2, {@link #deepSeekLike}: 61 MoE layers of 256 experts on 8 x 8 H100s with 64 spare
 * slots and skewed loads of its own per layer; every layer placed by {@code eplb}, {@code replicate}
 * and {@code fast}, and the first {@code optLayers} by {@code optaplanner}; the time of the whole
 * 61-layer {@code fast} run, and the layers where {@code fast} is worse than {@code eplb}.
 *
 * <p>Usage: {@code LayeredBenchmark [seed=1] [optaplanner on part 1: true|false] [optLayers=2]}
 */
public final class LayeredBenchmark {
    private static final java.lang.management.ThreadMXBean MX =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private LayeredBenchmark() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        boolean opt = args.length <= 1 || Boolean.parseBoolean(args[1]);
        int optLayers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        PrintStream out = System.out;
        List<String> strategies = opt ? List.of("eplb", "replicate", "fast", "optaplanner")
                : List.of("eplb", "replicate", "fast");
        for (TokenSplit split : TokenSplit.values()) {
            part1(out, seed, split, strategies);
        }
        for (TokenSplit split : TokenSplit.values()) {
            part2(out, seed, split, optLayers);
        }
    }

    static void part1(PrintStream out, long seed, TokenSplit split, List<String> strategies) {
        out.printf(Locale.ROOT, "%n# split %s, seed %d: max GPU expert time us (CPU ms to build the evaluator and "
                + "place, one thread)%n",
                split.scenarioName(), seed);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-22s | %8s |", "instance", "bound"));
        for (String s : strategies) {
            header.append(String.format(Locale.ROOT, " %-19s |", s));
        }
        out.println(header);
        out.println(header.toString().replaceAll("[^|]", "-"));
        int worse = 0;
        for (int i = 0; i < BenchmarkInstances.count(); i++) {
            BenchmarkInstances.Instance instance = BenchmarkInstances.instance(i, seed,
                    PlacementProblem.NO_CLOCK_CAP, 1);
            PlacementProblem problem = instance.problem().withSplit(split);
            StringBuilder row = null;
            java.util.Map<String, Double> maxUs = new java.util.HashMap<>();
            for (String strategy : strategies) {
                // one strategy at a time, timed in CPU time of this thread (the machine may be busy)
                long cpu = MX.getCurrentThreadCpuTime();
                PlacementComparison c = new PlacementRunner(problem, new AnalyticalCostModel(problem.cluster()))
                        .run(List.of(strategy), line -> { });
                double ms = (MX.getCurrentThreadCpuTime() - cpu) / 1e6;
                if (row == null) {
                    row = new StringBuilder(String.format(Locale.ROOT, "| %-22s | %8.1f |", instance.name(),
                            c.bounds().boundUs()));
                }
                PlacementResult r = c.results().get(0);
                maxUs.put(strategy, r.evaluation().maxGpuTimeUs());
                row.append(String.format(Locale.ROOT, " %8.1f%s (%7.1f) |", r.evaluation().maxGpuTimeUs(),
                        r.evaluation().feasible() ? " " : "!", ms));
            }
            out.println(row);
            if (maxUs.get("fast") > maxUs.get("eplb") + 1e-9) {
                worse++;
            }
        }
        out.printf(Locale.ROOT, "fast worse than eplb: %d of %d instances%n", worse, BenchmarkInstances.count());
    }

    static void part2(PrintStream out, long seed, TokenSplit split, int optLayers) {
        PlacementProblem problem = deepSeekLike(seed, 61).withSplit(split);
        AnalyticalCostModel costModel = new AnalyticalCostModel(problem.cluster());
        java.lang.management.ThreadMXBean mx = MX;
        long start = System.nanoTime();
        long cpuStart = mx.getCurrentThreadCpuTime();
        new LayeredPlacementRunner(problem, costModel, 1).run(List.of("fast"), l -> { });
        double fastSeconds = (System.nanoTime() - start) / 1e9;
        double fastCpuSeconds = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        LayeredComparison all = new LayeredPlacementRunner(problem, costModel, 1)
                .run(List.of("eplb", "replicate", "fast"), l -> { });
        int worse = 0;
        double maxFastMs = 0;
        for (PlacementComparison c : all.perLayer()) {
            if (c.result("fast").evaluation().maxGpuTimeUs() > c.result("eplb").evaluation().maxGpuTimeUs() + 1e-9) {
                worse++;
            }
            maxFastMs = Math.max(maxFastMs, 1000 * c.result("fast").solveSeconds());
        }
        out.printf(Locale.ROOT, "%n# 61 layers x 256 experts, 8 x 8 H100, 64 spare slots, split %s, seed %d%n",
                split.scenarioName(), seed);
        out.printf(Locale.ROOT, "mean over layers of max GPU expert time: eplb %.1f us, replicate %.1f us, fast %.1f us"
                + " (mean max/mean: eplb %.4f, fast %.4f)%n", all.meanMaxGpuTimeUs("eplb"),
                all.meanMaxGpuTimeUs("replicate"), all.meanMaxGpuTimeUs("fast"), meanImbalance(all, "eplb"),
                meanImbalance(all, "fast"));
        out.printf(Locale.ROOT, "fast worse than eplb: %d of 61 layers; fast on all 61 layers, one thread: %.2f s wall,"
                + " %.2f s CPU (slowest layer %.1f ms wall inside the comparison run)%n", worse, fastSeconds,
                fastCpuSeconds, maxFastMs);
        if (optLayers > 0) {
            List<LayerLoad> first = problem.loads().layers().subList(0, Math.min(optLayers, 61));
            PlacementProblem few = new PlacementProblem(problem.model(), problem.cluster(), problem.workload(),
                    new LoadProfile(first), problem.spareSlots(), problem.maxExpertsPerGpu(), problem.solverSeconds(),
                    problem.unimprovedSeconds(), problem.seed(), problem.coActivation(), split);
            LayeredComparison opt = new LayeredPlacementRunner(few, costModel, 1)
                    .run(List.of("eplb", "fast", "optaplanner"), l -> { });
            for (int l = 0; l < opt.perLayer().size(); l++) {
                PlacementComparison c = opt.perLayer().get(l);
                out.printf(Locale.ROOT, "layer %d: bound %.1f us, eplb %.1f, fast %.1f (%.1f ms), optaplanner %.1f "
                        + "(%.1f s)%n", l, c.bounds().boundUs(), c.result("eplb").evaluation().maxGpuTimeUs(),
                        c.result("fast").evaluation().maxGpuTimeUs(), 1000 * c.result("fast").solveSeconds(),
                        c.result("optaplanner").evaluation().maxGpuTimeUs(), c.result("optaplanner").solveSeconds());
            }
        }
    }

    private static double meanImbalance(LayeredComparison c, String strategy) {
        return c.results(strategy).stream().mapToDouble(r -> r.evaluation().imbalance()).average().orElse(1);
    }

    /**
     * A DeepSeek-V3-like layer stack: 256 routed experts of hidden 2048 (d 7168, top-8), 8 nodes of
     * 8 H100s, inference with 16384 tokens per GPU, 64 spare slots; each layer's loads log-normal
     * (sigma 0.5-1.0, drawn per layer) around the mean, with its own hot experts.
     */
    public static PlacementProblem deepSeekLike(long seed, int layers) {
        ModelSpec model = new ModelSpec(7168, layers, 0, 0, 129280, false, null,
                new GqaAttention(128, 8, 128, null), new UniformMoe(256, 2048, 8, 0, 0, null));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 8, 8);
        long tokens = 16384L * 64;
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, tokens, 4096, 1);
        List<LayerLoad> list = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            SplittableRandom random = new SplittableRandom(seed * 7919L + l);
            double sigma = 0.5 + 0.5 * random.nextDouble();
            double[] w = new double[256];
            double sum = 0;
            for (int e = 0; e < 256; e++) {
                double u = 1.0 - random.nextDouble();
                w[e] = Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
                sum += w[e];
            }
            List<Double> loads = new ArrayList<>();
            for (int e = 0; e < 256; e++) {
                loads.add(tokens * 8.0 * w[e] / sum);
            }
            list.add(new LayerLoad(l, loads));
        }
        return new PlacementProblem(model, cluster, workload, new LoadProfile(list), 64, PlacementProblem.UNLIMITED,
                PlacementProblem.NO_CLOCK_CAP, 1, seed);
    }
}
