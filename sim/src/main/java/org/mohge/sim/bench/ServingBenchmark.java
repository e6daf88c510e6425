package org.mohge.sim.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.MlaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadKind;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.routing.RoutingSpec;
import org.mohge.sim.serving.ArrivalSource;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.LengthSpec;
import org.mohge.sim.serving.PoolSpec;
import org.mohge.sim.serving.ServingDeployment;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSimulator;
import org.mohge.sim.serving.ServingSpec;

/**
 * Serving simulator speed on one thread: DeepSeek-V3 (61 layers, 256 experts, MLA) on 2 x 8 H200
 * with 16 data-parallel attention ranks and EP16, Poisson arrivals at 12 req/s, lognormal prompts
 * (median 1,500) and outputs (median 300), continuous batching. Prints requests simulated per
 * second for 10,000 and 100,000 requests, and the heap held after each run (flat when only the
 * requests in flight are kept).
 */
public final class ServingBenchmark {
    private ServingBenchmark() {
    }

    public static void main(String[] args) {
        run(f -> System.out.println(f.line()), args.length > 0 ? Integer.parseInt(args[0]) : 3);
    }

    public static void run(java.util.function.Consumer<BenchFigure> out, int repeats) {
        ModelSpec model = new ModelSpec(7168, 61, 3, 18432, 129280, false, DType.BF16,
                new MlaAttention(128, 1536, 512, 128, 64, 128),
                new UniformMoe(256, 2048, 8, 1, 2048, Activation.SWIGLU));
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get("h200-sxm"), 2, 8);
        WorkloadSpec workload = new WorkloadSpec(WorkloadKind.INFERENCE, 16384, 4096, 1);
        RoutingModel routing = RoutingModels.create(model, workload, RoutingSpec.defaults(), 42);
        double[][] inclusion = new double[routing.moeLayers()][];
        for (int l = 0; l < inclusion.length; l++) {
            inclusion[l] = routing.expectedInclusion(l);
        }
        AnalyticalCostModel costModel = new AnalyticalCostModel(cluster);
        for (long requests : new long[] {10_000, 100_000}) {
            ServingSpec spec = new ServingSpec(new ArrivalSpec.Poisson(12),
                    new LengthSpec.Lognormal(1500, 0.8, 32768), new LengthSpec.Lognormal(300, 0.8, 4096), requests,
                    null, null, null, new PoolSpec(1, 1, 16, null), null, null, null, null);
            double best = Double.MAX_VALUE;
            ServingResult result = null;
            long heldBytes = 0;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                ServingSimulator sim = ServingDeployment.simulator(spec, model, costModel, inclusion, 42);
                result = sim.run(ArrivalSource.of(spec, 42, null));
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                heldBytes = heldAfterGc(sim);
            }
            out.accept(new BenchFigure("servingRequestsPerSecond.requests" + requests, requests / best, "requests/s",
                    String.format(Locale.ROOT, "serving, DeepSeek-V3 on 16 H200 (DP16 attention, EP16), %,d requests "
                            + "at 12 req/s: %.2f s wall (best of %d, one thread), %,.0f requests/s simulated, %,d "
                            + "iterations, %,d events; peak in flight %,d; heap held after the run %.1f MiB; TTFT p99 "
                            + "%.0f ms, TPOT p99 %.1f ms", requests, best, repeats, requests / best,
                            result.iterations(), result.events(), result.peakInFlight(), heldBytes / 1048576.0,
                            result.ttft().p99Ms(), result.tpot().p99Ms())));
        }
    }

    private static long heldAfterGc(Object keepAlive) {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = rt.totalMemory() - rt.freeMemory();
        if (keepAlive.hashCode() == 42) {
            used++;
        }
        return used;
    }
}
