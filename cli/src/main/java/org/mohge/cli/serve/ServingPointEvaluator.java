package org.mohge.cli.serve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mohge.cli.output.Digests;
import org.mohge.cli.plan.PointEvaluator;
import org.mohge.cli.plan.ResumeFile;
import org.mohge.cli.plan.TaskFunction;
import org.mohge.cli.plan.WorkerBaseFile;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;

/**
 * Evaluates one deployment of a serving plan: the base scenario's serving section with Poisson
 * arrivals at the plan's rate, the point's pools on a cluster of its GPU type just large enough,
 * simulated with the scenario's seed. A pure function of (base scenario text, rate, request count,
 * point): the local and the Spark engine both run it on the same task line, so they give the same
 * bytes.
 */
public final class ServingPointEvaluator {
    /** Parsed bases (scenario, serving at the target, expert inclusion) a worker JVM has used, most recent last. */
    private static final int CONTEXTS_KEPT = 4;
    private static final Map<String, Context> CONTEXTS = Collections.synchronizedMap(
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
                    return size() > CONTEXTS_KEPT;
                }
            });

    private ServingPointEvaluator() {
    }

    /** A point's work as one JSON line: the base scenario (path and text), the traffic and the point. */
    public record Task(String baseFile, String baseText, double requestsPerSecond, Long requests,
                       ServingPoint point) {
    }

    /** What every point of a plan shares, built once per JVM. */
    record Context(ScenarioSpec base, Path baseFile, ServingSpec atTarget, double[][] inclusion) {
    }

    /** The function the engines run: a task line in, a {@link ServingPointResult} line out. */
    public static final class Worker implements TaskFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public String evaluate(String taskLine) {
            Task task = ResumeFile.result(taskLine, Task.class);
            if (task == null || task.point() == null) {
                throw new IllegalArgumentException("malformed serving plan task: " + taskLine);
            }
            Context ctx = CONTEXTS.computeIfAbsent(task.baseFile() + "\n" + task.requestsPerSecond() + "\n"
                    + task.requests() + "\n" + task.baseText(), key -> context(task));
            return PointEvaluator.toLine(ServingPointEvaluator.evaluate(ctx, task.point()));
        }
    }

    /** The fingerprint of what a point's result depends on besides the point: base text, rate, request count. */
    public static String fingerprint(String baseText, double requestsPerSecond, Long requests) {
        return Digests.sha256((baseText + '\0' + requestsPerSecond + '\0' + requests)
                .getBytes(StandardCharsets.UTF_8));
    }

    static Context context(Path baseFile, ScenarioSpec base, double requestsPerSecond, Long requests) {
        ServingSpec atTarget = ServeRunner.servingOf(base, baseFile)
                .withArrivals(new ArrivalSpec.Poisson(requestsPerSecond));
        if (requests != null) {
            atTarget = atTarget.withRequests(requests);
        }
        return new Context(base, baseFile, atTarget, ServeRunner.inclusion(base, baseFile));
    }

    static ServingPointResult evaluate(Context ctx, ServingPoint p) {
        ScenarioSpec base = ctx.base();
        ServingSpec at = ctx.atTarget();
        int perNode = base.cluster().gpusPerNode();
        // the cluster holds the GPUs of the point's kind; a pool on another kind brings its own
        int gpus = Math.max(1, p.gpusOfPointKind());
        ClusterSpec cluster = new ClusterSpec(GpuCatalog.get(p.gpu()), (gpus + perNode - 1) / perNode, perNode,
                null, null, null, null);
        WorkloadSpec w = base.workload();
        WorkloadSpec workload = new WorkloadSpec(w.kind(), Math.max(w.tokensPerStep(),
                (long) cluster.gpuCount() * w.microBatches()), w.sequenceLength(), w.microBatches());
        ServingSpec serving = at.withPools(p.pool(), p.disaggregation(at.disaggregation()));
        ScenarioSpec s = new ScenarioSpec(base.name(), base.seed(), base.model(), cluster, workload, base.routing(),
                base.placement(), base.output(), base.simulation(), base.calibration(), serving, null, null, null);
        ServingResult r;
        try {
            r = ServeRunner.run(s, ctx.baseFile(), serving, ctx.inclusion(), null);
        } catch (ScenarioException e) {
            String why = e.getMessage();
            int colon = why.indexOf(": ");
            return new ServingPointResult(p, ServingPointResult.DOES_NOT_FIT,
                    colon >= 0 ? why.substring(colon + 2) : why, null, null, null, null, null, null, null);
        }
        return new ServingPointResult(p, ServingPointResult.OK, null, r.ttft().p99Ms(), r.tpot().p99Ms(),
                r.requestsPerS(), r.goodputRequestsPerS(), r.outputTokensPerSPerGpu(), r.peakKvUse(), r.rejected());
    }

    /**
     * The base scenario for a task: read from its path when this JVM sees the same file there, else
     * from the text the task carries (relative paths in it then resolve against a temporary folder).
     */
    private static Context context(Task task) {
        Path file = WorkerBaseFile.of(task.baseFile(), task.baseText(), "mohge-serving-plan-");
        return context(file, ScenarioLoader.load(file), task.requestsPerSecond(), task.requests());
    }
}
