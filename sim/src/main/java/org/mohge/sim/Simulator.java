package org.mohge.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.cost.LayerOps;
import org.mohge.costmodel.cost.LayerStage;
import org.mohge.costmodel.cost.MemoryCheck;
import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.cost.StageLabel;
import org.mohge.costmodel.cost.StepStage;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.workload.WorkloadSpec;
import org.mohge.sim.core.ProgramRunner;
import org.mohge.sim.core.Schedule;
import org.mohge.sim.core.StepProgram;
import org.mohge.sim.metrics.ExpertLoadCollector;
import org.mohge.sim.metrics.ScheduleCollector;
import org.mohge.sim.metrics.SimListener;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.metrics.SimResultAssembler;
import org.mohge.sim.metrics.TrafficCollector;
import org.mohge.sim.program.ExpertParallelProgramBuilder;
import org.mohge.costmodel.spec.Require;
import org.mohge.sim.rebalance.ObservedLoads;
import org.mohge.sim.rebalance.Rebalance;
import org.mohge.sim.rebalance.RebalanceLog;
import org.mohge.sim.rebalance.Rebalancer;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.traffic.ExpertMap;
import org.mohge.sim.traffic.TrafficAccountant;

/**
 * Simulates training or inference steps of an expert-parallel MoE model on a GPU cluster.
 *
 * <p>Tokens are spread evenly over the GPUs (data-parallel attention) and over the micro-batches,
 * which run one after another. Per micro-batch, every layer runs on every GPU as: attention ->
 * (dense FFN | router -> permute -> dispatch all-to-all -> grouped GEMM over the GPU's local
 * experts with the tokens it received -> combine all-to-all -> unpermute), the shared experts
 * running on the compute stream while the dispatch is on the links; then the LM head. Training
 * adds the backward pass in reverse order (every op twice its forward time; the backward
 * all-to-alls move the same bytes as their forward twins). Each op's duration comes from the
 * {@link LayerOps} prices of the {@code CostModel}, so the simulator and the {@code cost} command
 * price an op identically; each MoE layer routes under its own expert map when the placement
 * has one per layer; routing comes from the scenario's routing model, drawn per
 * micro-batch and layer. With {@code dualBatchOverlap} each micro-batch is split into two halves
 * that run at the same time and compete for the compute stream and the links.
 *
 * <p>This class only orchestrates: the {@link ExpertParallelProgramBuilder} builds each step's
 * ops, the {@link TrafficAccountant} turns routing into traffic and expert work, the event core
 * runs the program, and {@link SimListener} collectors gather what the {@link SimResultAssembler}
 * reports; the memory check is {@link MemoryCheck} beside the {@link MemoryModel}.
 *
 * <p>Not modelled: pipeline parallelism, the data-parallel gradient all-reduce and the optimizer
 * step, capacity factors / token dropping, node-limited routing.
 */
public final class Simulator {
    private final SimulationInput in;
    private final int rebalanceEverySteps;
    private final Rebalancer rebalancer;
    private final List<RebalanceLog.Entry> rebalances = new ArrayList<>();

    private Simulator(SimulationInput in, int rebalanceEverySteps, Rebalancer rebalancer) {
        this.in = in;
        this.rebalanceEverySteps = rebalanceEverySteps;
        this.rebalancer = rebalancer;
    }

    /** Runs the simulation. */
    public static SimResult run(SimulationInput input) {
        return runWithSchedule(input).result();
    }

    /** Runs the simulation and keeps the first step's schedule (for a Perfetto trace). */
    public static SimRun runWithSchedule(SimulationInput input) {
        return new Simulator(input, 0, null).simulate();
    }

    /** What a run with re-placement between steps gives: the run, and what each re-placement moved. */
    public record RebalancedRun(SimRun run, RebalanceLog log) {
    }

    /**
     * Runs the simulation re-placing experts every {@code everySteps} steps (after steps K-1, 2K-1,
     * ... before the last): {@code rebalancer} gets the loads observed since the last re-placement
     * and the maps in use, and its maps route the following steps. Transfer times are reported in
     * the log, not added to the step times.
     */
    public static RebalancedRun runWithRebalancing(SimulationInput input, int everySteps, Rebalancer rebalancer) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("everySteps must be >= 1, got " + everySteps);
        }
        Simulator simulator = new Simulator(input, everySteps, Require.present(rebalancer, "rebalancer"));
        SimRun run = simulator.simulate();
        return new RebalancedRun(run, new RebalanceLog(everySteps, simulator.rebalances));
    }

    /** Tokens of each GPU in each concurrent unit (micro-batch, or half micro-batch with overlap). */
    static long[][] unitTokens(long tokensPerStep, int units, int gpus) {
        long[][] tokens = new long[units][gpus];
        for (int u = 0; u < units; u++) {
            long unitTotal = tokensPerStep / units + (u < tokensPerStep % units ? 1 : 0);
            for (int g = 0; g < gpus; g++) {
                tokens[u][g] = unitTotal / gpus + (g < unitTotal % gpus ? 1 : 0);
            }
        }
        return tokens;
    }

    private SimRun simulate() {
        ModelSpec model = in.model();
        WorkloadSpec workload = in.workload();
        ClusterSpec cluster = in.cluster();
        int gpus = cluster.gpuCount();
        List<ExpertMap> mapByMoeLayer = expertMaps(in.placement(), model, gpus);
        ExpertMap map = mapByMoeLayer.get(0);
        LayerOps ops = new LayerOps(model, in.costModel());

        List<StageLabel> stageOrder = new ArrayList<>();
        for (LayerStage s : LayerStage.values()) {
            stageOrder.add(s);
        }
        stageOrder.add(StepStage.LM_HEAD);
        ScheduleCollector scheduleCollector = new ScheduleCollector(stageOrder, gpus);
        TrafficCollector trafficCollector = new TrafficCollector(cluster, model.moeLayers(), map.experts());
        ExpertLoadCollector loadCollector = new ExpertLoadCollector(model.moeLayers(), gpus);
        ObservedLoads observed = new ObservedLoads(model.moeLayers(), map.experts());
        List<SimListener> listeners = rebalancer == null ? List.of(scheduleCollector, trafficCollector, loadCollector)
                : List.of(scheduleCollector, trafficCollector, loadCollector, observed);

        TrafficAccountant traffic = new TrafficAccountant(mapByMoeLayer, ops, workload.training(),
                t -> listeners.forEach(l -> l.onMoeLayerRouted(t)));
        ExpertParallelProgramBuilder builder = new ExpertParallelProgramBuilder(ops, traffic, workload.training(),
                gpus, workload.sequenceLength());

        boolean overlap = in.options().dualBatchOverlap();
        int units = workload.microBatches() * (overlap ? 2 : 1);
        RoutingModel routing = RoutingModels.create(model, workload, in.routing(), in.seed()).withUnitsPerStep(units);
        if (in.options().checkMemory()) {
            MemoryCheck.requireFits(MemoryModel.perGpu(model, cluster, workload, in.placement(),
                    expectedShares(routing, map.experts())), "placement");
        }
        long[][] tokens = unitTokens(workload.tokensPerStep(), units, gpus);
        int steps = in.routing().steps();
        Schedule first = null;
        LayeredPlacement placement = in.placement();
        int sinceRebalance = 0;
        for (int step = 0; step < steps; step++) {
            StepProgram program = new StepProgram(gpus);
            // Units run one after another; with overlap, the two halves of a micro-batch run together
            // and both wait for both halves of the previous micro-batch.
            int[] previous = new int[0];
            int[] current = new int[0];
            for (int u = 0; u < units; u++) {
                double[][] counts = routing.route(step, u, tokens[u]);
                int last = builder.addUnit(program, u, tokens[u], counts, previous);
                if (overlap) {
                    current = append(current, last);
                    if (u % 2 == 1) {
                        previous = current;
                        current = new int[0];
                    }
                } else {
                    previous = new int[] {last};
                }
            }
            Schedule schedule = ProgramRunner.run(program);
            if (first == null) {
                first = schedule;
            }
            listeners.forEach(l -> l.onStepScheduled(schedule));
            sinceRebalance++;
            if (rebalancer != null && sinceRebalance == rebalanceEverySteps && step + 1 < steps) {
                Rebalance r = rebalancer.rebalance(step, observed.takePerStep(sinceRebalance), placement);
                sinceRebalance = 0;
                rebalances.add(new RebalanceLog.Entry(step, r.expertsMoved(), r.bytesMoved(), r.transferUs()));
                placement = r.placement();
                traffic.useMaps(expertMaps(placement, model, gpus));
            }
        }
        SimResultAssembler.Labels labels = new SimResultAssembler.Labels(in.placement().strategy(),
                in.routing().fidelity().label(), in.costModel().description(), in.seed(), overlap);
        return new SimRun(SimResultAssembler.assemble(model, cluster, workload, in.placement(), labels,
                scheduleCollector, trafficCollector, loadCollector), first);
    }

    /** The expert map of each MoE layer, built once per distinct map of the placement. */
    static List<ExpertMap> expertMaps(LayeredPlacement placement, ModelSpec model, int gpus) {
        List<ExpertMap> distinct = new ArrayList<>();
        for (Placement p : placement.placements()) {
            distinct.add(new ExpertMap(p, model.moe().expertShapes(), gpus));
        }
        List<ExpertMap> byLayer = new ArrayList<>(model.moeLayers());
        for (int l = 0; l < model.moeLayers(); l++) {
            byLayer.add(distinct.get(placement.mapIndexFor(l)));
        }
        return byLayer.isEmpty() ? distinct : byLayer;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Expected share of routed activations per expert, averaged over the MoE layers. */
    private static double[] expectedShares(RoutingModel routing, int experts) {
        double[] shares = new double[experts];
        double total = 0;
        for (int l = 0; l < routing.moeLayers(); l++) {
            double[] pi = routing.expectedInclusion(l);
            for (int e = 0; e < experts; e++) {
                shares[e] += pi[e];
                total += pi[e];
            }
        }
        for (int e = 0; e < experts; e++) {
            shares[e] = total > 0 ? shares[e] / total : 1.0 / experts;
        }
        return shares;
    }
}
