package org.mohge.cli.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioLoader;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.arch.ExpertGroup;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.PlacementSpec;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.placement.LayeredPlacementRunner;
import org.mohge.placement.PlacementProblem;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.SimulationSpec;
import org.mohge.sim.Simulator;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.routing.RoutingFidelity;
import org.mohge.sim.routing.RoutingSpec;

/**
 * Evaluates one point: builds its scenario from the base, resolves the placement (built-in, or the
 * named strategy run on the routing model's expected loads), checks memory, and simulates it with
 * the scenario's seed. A pure function of (base scenario, fidelity, point): the local and the Spark
 * engine both call it, so they give the same numbers.
 */
public final class PointEvaluator {
    private static final double GIB = 1L << 30;
    private static final ObjectMapper LINE_MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /**
     * Parsed base scenarios of the sweeps a worker JVM has evaluated, most recent last. A Spark
     * executor outlives one sweep, so the cache keeps only the last few instead of growing.
     */
    private static final int WORKER_CONTEXTS_KEPT = 4;
    private static final Map<String, PlanContext> WORKER_CONTEXTS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PlanContext> eldest) {
                    return size() > WORKER_CONTEXTS_KEPT;
                }
            });

    private PointEvaluator() {
    }

    /** A point's work as one JSON line: what a Spark task carries. */
    public record Task(String baseFile, String baseText, RoutingFidelity fidelity, SweepPoint point) {
    }

    public static PointMetrics evaluate(PlanContext ctx, SweepPoint p) {
        if (p.parallel() != null) {
            return TrainingPointEvaluator.evaluate(ctx, p);
        }
        ScenarioSpec s;
        try {
            s = scenarioOf(ctx, p);
        } catch (SpecViolation e) {
            return new PointMetrics(PointMetrics.INVALID, e.getMessage(), p, null, null, null, null, null, null, null,
                    null);
        }
        ParamReport params = ParamAccounting.count(s.model());
        List<ExpertGroup> sizes = s.model().moe().sizeClasses();
        double ratio = (double) sizes.stream().mapToInt(ExpertGroup::expertHidden).max().orElse(1)
                / sizes.stream().mapToInt(ExpertGroup::expertHidden).min().orElse(1);
        CostModel costModel = CostModels.forScenario(s, ctx.baseFile());
        LayeredPlacement placement = placement(s, ctx.baseFile(), p, costModel);
        List<MemoryEstimate> memory = MemoryModel.perGpu(s.model(), s.cluster(), s.workload(), placement,
                s.model().moe().defaultExpertShares());
        double peakGiB = memory.stream().mapToDouble(MemoryEstimate::totalBytes).max().orElse(0) / GIB;
        double headroomPct = memory.stream().mapToDouble(MemoryEstimate::headroomFraction).min().orElse(0) * 100;
        if (memory.stream().anyMatch(m -> !m.fits())) {
            return new PointMetrics(PointMetrics.DOES_NOT_FIT, "peak memory " + Numbers.fixed(peakGiB, 1)
                    + " GiB per GPU is over the " + s.cluster().gpu().name() + "'s capacity", p,
                    params.totalParams(), params.activatedParams(), ratio, peakGiB, headroomPct, null, null, null);
        }
        SimResult r = Simulator.run(new SimulationInput(s.model(), s.cluster(), s.workload(),
                ScenarioInputs.routing(s, ctx.baseFile()), placement, costModel, s.seed(),
                new SimulationSpec(s.simulation().dualBatchOverlap(), false)));
        return new PointMetrics(PointMetrics.OK, null, p, params.totalParams(), params.activatedParams(), ratio,
                peakGiB, headroomPct, r.stepTimeUs() / 1e3, r.tokensPerSecond(), r.imbalance());
    }

    /** The base scenario with the point's values. */
    static ScenarioSpec scenarioOf(PlanContext ctx, SweepPoint p) {
        ScenarioSpec base = ctx.base();
        ClusterSpec cluster = clusterOf(base, p);
        ModelSpec m = base.model();
        ModelSpec model = m;
        if (m.moe() instanceof GroupedMoe g) {
            GroupedMoe moe = new GroupedMoe(p.groups(), p.topGroups(), p.topExpertsPerGroup(), g.sharedExperts(),
                    g.sharedExpertHidden(), g.activation());
            model = new ModelSpec(m.hiddenSize(), m.layers(), m.denseLayers(), m.denseFfnHidden(), m.vocabSize(),
                    m.tieEmbeddings(), m.dtype(), m.attention(), moe);
        }
        WorkloadSpec w = base.workload();
        WorkloadSpec workload = new WorkloadSpec(w.kind(), p.tokensPerStep(), w.sequenceLength(), w.microBatches());
        RoutingSpec r = base.routing().withBalance(p.groupBias(), p.intraGroupBalance(), base.routing().skew());
        if (ctx.fidelity() != null) {
            r = r.withFidelity(ctx.fidelity());
        }
        PlacementSpec ps = base.placement();
        PlacementSpec placement = ps.withUse(p.placement());
        // Sweeps over parallel axes are not planned yet: a point keeps the expert-parallel layer model.
        return new ScenarioSpec(base.name(), base.seed(), model, cluster, workload, r, placement, base.output(),
                base.simulation(), base.calibration(), base.serving(), null, null, null);
    }

    /** The base's cluster with the point's GPU and shape; bandwidths follow the GPU's platform when it changes. */
    static ClusterSpec clusterOf(ScenarioSpec base, SweepPoint p) {
        ClusterSpec bc = base.cluster();
        return p.gpu().equals(bc.gpu().name())
                ? new ClusterSpec(bc.gpu(), p.nodes(), p.gpusPerNode(), bc.nvlinkGBps(), bc.nicGBps(),
                        bc.nvlinkLatencyUs(), bc.nicLatencyUs())
                : new ClusterSpec(GpuCatalog.get(p.gpu()), p.nodes(), p.gpusPerNode(), null, null,
                        bc.nvlinkLatencyUs(), bc.nicLatencyUs());
    }

    /**
     * A built-in layout, a placement file (one map, or one per MoE layer), or a strategy's maps, one
     * per profiled MoE layer.
     */
    private static LayeredPlacement placement(ScenarioSpec s, Path baseFile, SweepPoint p, CostModel costModel) {
        String use = p.placement();
        if (Placements.isBuiltIn(use)) {
            return LayeredPlacement.single(Placements.builtIn(use, s.model().moe(), s.cluster().gpuCount()));
        }
        if (!SweepAxes.STRATEGIES.contains(use)) {
            return PlacementResolver.resolveLayered(s, baseFile, null);
        }
        // Each profiled MoE layer is placed from its own loads, as `place` and `study` do; one
        // thread per point, since the plan already evaluates points in parallel.
        PlacementProblem problem = PlacementProblem.of(s.model(), s.cluster(), s.workload(),
                ScenarioInputs.loads(s, baseFile, null).profile(), s.placement(), s.seed());
        return new LayeredPlacementRunner(problem, costModel, 1).run(List.of(use), line -> { }).placement(use);
    }

    // ---- JSON in and out (resume file lines, Spark tasks) ----

    public static String toLine(Object value) {
        try {
            return LINE_MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One resume-file line back into metrics, or null when the line is not a complete record. */
    public static PointMetrics metricsOf(String line) {
        try {
            PointMetrics m = LINE_MAPPER.readValue(line, PointMetrics.class);
            return m == null || m.point() == null || m.status() == null ? null : m;
        } catch (JsonProcessingException e) {
            return null; // a half-written last line, or a line of another format: not a record
        }
    }

    public static String taskLine(PlanContext ctx, SweepPoint p) {
        return toLine(new Task(ctx.baseFile().toAbsolutePath().toString(), ctx.baseText(), ctx.fidelity(), p));
    }

    /**
     * Evaluates a task line and returns the metrics line: the Spark worker's function. The base
     * scenario is read from its path when the worker sees the same file there, else from the text
     * the task carries (then relative paths in it resolve against a temporary folder); parsed once
     * per worker JVM.
     */
    public static String evaluateTaskLine(String taskLine) {
        Task task;
        try {
            task = LINE_MAPPER.readValue(taskLine, Task.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed plan task: " + e.getOriginalMessage(), e);
        }
        PlanContext ctx = WORKER_CONTEXTS.computeIfAbsent(task.baseFile() + "\n" + task.fidelity() + "\n"
                + task.baseText(), key -> workerContext(task));
        return toLine(evaluate(ctx, task.point()));
    }

    private static PlanContext workerContext(Task task) {
        Path file = WorkerBaseFile.of(task.baseFile(), task.baseText(), "mohge-plan-");
        return new PlanContext(ScenarioLoader.load(file), file, task.baseText(), task.fidelity());
    }
}
