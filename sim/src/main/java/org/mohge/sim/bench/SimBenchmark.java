package org.mohge.sim.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MlaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.Simulator;
import org.mohge.sim.TrainingSimulator;
import org.mohge.costmodel.parallel.ParallelLayout;
import org.mohge.costmodel.parallel.ParallelismSpec;
import org.mohge.costmodel.parallel.Precision;
import org.mohge.costmodel.parallel.PrecisionRecipe;
import org.mohge.costmodel.parallel.PrecisionSpec;
import org.mohge.costmodel.parallel.Recompute;
import org.mohge.costmodel.parallel.TrainingSpec;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSource;
import org.mohge.sim.routing.RoutingSpec;

/**
 * Prints the simulator's speed (figures, not a test):
 * <ol>
 *   <li>exact routing: token-layer decisions per second on one core and on all cores, for a
 *       grouped model with 64 experts (4 groups x 16, top-2 groups x top-2 experts), 24 MoE
 *       layers, 262,144 tokens per micro-batch;</li>
 *   <li>aggregate mode: wall time of one training step of a 61-layer, 256-expert model
 *       (DeepSeek-V3 shapes) on 256 GPUs (32 nodes x 8 H200) with 4,194,304 tokens;</li>
 *   <li>serving: requests simulated per second, DeepSeek-V3 on 16 H200 ({@link ServingBenchmark}).</li>
 *   <li>training step under a parallel layout: wall time of one DeepSeek-V3 step on 2048 H800 with
 *       its published layout (PP16, EP64 over 8 nodes, ZeRO-1 over DP128, 15,360 sequences of 4096,
 *       120 micro-batches, FP8 recipe, at most 4 nodes per token), one thread, one rank per stage,
 *       expert loads drawn per stage, micro-batch and layer from the default synthetic router.</li>
 * </ol>
 * Run: {@code java -cp sim/target/classes:<deps> org.mohge.sim.bench.SimBenchmark [repeats]}.
 */
public final class SimBenchmark {
    private SimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        run(System.out, repeats);
    }

    /** Runs every benchmark, prints each figure's line to {@code out} as it is measured, and returns the figures. */
    public static List<BenchFigure> run(PrintStream out, int repeats) throws Exception {
        List<BenchFigure> figures = new java.util.ArrayList<>();
        java.util.function.Consumer<BenchFigure> sink = f -> {
            figures.add(f);
            out.println(f.line());
            out.flush();
        };
        int cores = Runtime.getRuntime().availableProcessors();
        sink.accept(new BenchFigure("cores", cores, "cores", String.format(Locale.ROOT, "cores available: %d", cores)));
        exactRouting(sink, repeats);
        aggregateStep(sink, repeats);
        ServingBenchmark.run(sink, repeats);
        deepSeekTrainingStep(sink, repeats);
        return figures;
    }

    static void deepSeekTrainingStep(java.util.function.Consumer<BenchFigure> out, int repeats) {
        ModelSpec model = new ModelSpec(7168, 61, 3, 18432, 129280, false, DType.BF16,
                new MlaAttention(128, 1536, 512, 128, 64, 128),
                new UniformMoe(256, 2048, 8, 1, 2048, Activation.SWIGLU));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h800"), 256, 8);
        ParallelLayout layout = ParallelLayout.of(new ParallelismSpec(1, 16, 1, 1, 64, 1, false, true, false, 1, null),
                new TrainingSpec(15360, 1, 4096, Recompute.SELECTIVE, null), model, cluster);
        Precision precision = new PrecisionSpec(PrecisionRecipe.FP8_BLOCKWISE, null, null, null, null, null, null,
                DType.BF16).resolve();
        AnalyticalCostModel costs = new AnalyticalCostModel(cluster);
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.TRAINING, 15360L * 4096, 4096, layout.microBatches());
        RoutingModel routing = RoutingModels.create(model, workload, RoutingSpec.defaults(), 42);
        TrainingSimulator.run(model, layout, precision, costs, 4, routing, 42);
        double best = Double.MAX_VALUE;
        TrainingSimulator.TrainingRun run = null;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            run = TrainingSimulator.run(model, layout, precision, costs, 4, routing, 42);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        out.accept(new BenchFigure("trainingStepWallSeconds.deepseekV3", best, "s", String.format(Locale.ROOT,
                "training step, DeepSeek-V3 on 2048 H800 (pp16 ep64 dp128, 120 micro-batches): %.3f s wall (best of "
                + "%d, %d events); simulated step %.1f ms, %.0f tokens/s/GPU, bubble %.1f%%", best, repeats,
                run.schedule().events(), run.report().stepTimeUs() / 1000, run.report().tokensPerSecondPerGpu(),
                100 * run.report().bubbleShare())));
    }

    static void exactRouting(java.util.function.Consumer<BenchFigure> out, int repeats) throws Exception {
        GroupedMoe moe = new GroupedMoe(List.of(new ExpertGroup(512, 16), new ExpertGroup(768, 16),
                new ExpertGroup(1024, 16), new ExpertGroup(1536, 16)), 2, 2, 0, 0, Activation.SWIGLU);
        ModelSpec model = new ModelSpec(2048, 24, 0, 0, 32000, false, DType.BF16, new GqaAttention(16, 4, 128, null),
                moe);
        long tokens = 262_144;
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.TRAINING, tokens, 4096, 1);
        RoutingModel routing = RoutingModels.create(model, workload, new RoutingSpec(RoutingSource.SYNTHETIC, 0.5, 0.8, RoutingFidelity.EXACT,
                null), 42);
        long[] perGpu = new long[8];
        java.util.Arrays.fill(perGpu, tokens / 8);
        double decisions = (double) tokens * model.moeLayers();
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                for (int i = 0; i < 2; i++) {
                    int mb = i;
                    pool.submit(() -> routing.route(0, mb, perGpu)).get();
                }
                double best = Double.MAX_VALUE;
                for (int i = 0; i < repeats; i++) {
                    int mb = 100 + i;
                    long t0 = System.nanoTime();
                    pool.submit(() -> routing.route(0, mb, perGpu)).get();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                out.accept(new BenchFigure("exactRoutingDecisionsPerSecond.threads" + threads, decisions / best,
                        "decisions/s", String.format(Locale.ROOT, "exact routing, 64-expert grouped model, %d "
                        + "thread(s): %.1f M token-layer decisions/s (best of %d: %.3f s for %.1f M decisions)",
                        threads, decisions / best / 1e6, repeats, best, decisions / 1e6)));
            } finally {
                pool.shutdown();
            }
        }
    }

    static void aggregateStep(java.util.function.Consumer<BenchFigure> out, int repeats) {
        ModelSpec model = new ModelSpec(7168, 61, 3, 18432, 129280, false, DType.BF16,
                new MlaAttention(128, 1536, 512, 128, 64, 128),
                new UniformMoe(256, 2048, 8, 1, 2048, Activation.SWIGLU));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h200-sxm"), 32, 8);
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.TRAINING, 4L * 1024 * 1024, 4096, 1);
        SimulationInput input = new SimulationInput(model, cluster, workload,
                new RoutingSpec(RoutingSource.SYNTHETIC, null, null, RoutingFidelity.AGGREGATE, null),
                Placements.contiguous(model.moe(), 256), new AnalyticalCostModel(cluster), 42,
                new SimulationSpec(false, false));
        Simulator.run(input);
        double best = Double.MAX_VALUE;
        SimResult result = null;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            result = Simulator.run(input);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        out.accept(new BenchFigure("aggregateStepWallSeconds", best, "s", String.format(Locale.ROOT,
                "aggregate step, 61 layers x 256 experts, 256 GPUs, 4,194,304 tokens, training: %.3f s wall (best of "
                + "%d); simulated step %.1f ms, imbalance %.3f", best, repeats, result.stepTimeUs() / 1000,
                result.imbalance())));
    }
}
