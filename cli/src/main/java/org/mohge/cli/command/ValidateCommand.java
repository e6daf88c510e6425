package org.mohge.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mohge.cli.calibrate.LayerValidation;
import org.mohge.cli.calibrate.PartitionCheck;
import org.mohge.cli.calibrate.ValidationResult;
import org.mohge.cli.option.BackendOption;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.PlacementOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge validate}: predicted against measured expert time per GPU partition. */
@Command(name = "validate",
        header = "Compare predicted with measured expert time per GPU partition.",
        description = {"Execute the scenario's MoE layer on a backend one GPU partition at a time (the experts a GPU",
            "hosts, with the tokens the simulator routes to them) and compare each partition's measured time",
            "with the predicted one.",
            "",
            "The prediction uses --calibration, else the scenario's calibration profile; the CPU backend needs",
            "one (make it with `mohge calibrate --backend cpu`)."},
        footer = {"", "Examples:",
            "  mohge calibrate --backend cpu --out calibration/cpu-local.json",
            "  mohge validate scenarios/examples/validate-mohge-small.json --backend cpu --calibration "
                + "calibration/cpu-local.json",
            "  mohge validate scenarios/paper/mohge-3g-8xh100.json --backend cuda --json"})
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ScenarioArgument scenario;
    @Mixin
    FormatOption format;
    @Mixin
    BackendOption backend;
    @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration profile of the backend's device.")
    Path calibration;
    @Mixin
    PlacementOption placementOption;
    @Option(names = "--tokens", paramLabel = "N",
            description = "Tokens of the layer over all GPUs. Default: one micro-batch, at most 4096 on the CPU.")
    Integer tokens;
    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per partition (median). Default: "
            + "${DEFAULT-VALUE}.")
    int repeats;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (repeats < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--repeats must be >= 1, got "
                    + repeats);
        }
        ScenarioSpec s = scenario.load().requireExperts(scenario.file(), "no MoE layer to execute");
        Placement placement = PlacementResolver.resolve(s, scenario.file(), placementOption.file());
        PrintWriter err = spec.commandLine().getErr();
        ValidationResult result;
        try (LayerBackend b = backend.open(err)) {
            CostModel costModel = costModel(s, b.name());
            long perMicroBatch = s.workload().tokensPerStep() / s.workload().microBatches();
            int n = tokens != null ? tokens
                    : (int) Math.min(perMicroBatch, b.name().equals("cpu") ? 4096 : Integer.MAX_VALUE);
            if (n < s.cluster().gpuCount()) {
                throw new ScenarioException("--tokens: must be at least the number of GPUs (" + s.cluster().gpuCount()
                        + "), got " + n);
            }
            RoutingModel routing = RoutingModels.create(s.model(), s.workload(), s.routing(), s.seed(),
                    scenario.file().toAbsolutePath().getParent());
            err.println("validating " + s.name() + " on " + b.deviceName() + ": " + s.cluster().gpuCount()
                    + " partitions, " + n + " tokens, " + repeats + " repeats each ...");
            err.flush();
            result = new LayerValidation(b, repeats).validate(s.name(), s.model(), placement, routing, costModel, n,
                    s.seed());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            JsonOutput.print(out, result);
            return ExitCodes.OK;
        }
        out.println("Validation of " + s.name() + " on " + result.backend() + " (" + result.device() + "), "
                + result.tokens() + " tokens, placement " + placement.strategy());
        out.println("cost model: " + result.costModel());
        TextTable table = new TextTable("gpu", "experts", "activations", "predicted us", "measured us", "error");
        for (PartitionCheck c : result.partitions()) {
            table.row(c.gpu(), c.experts(), c.activations(), Units.fixed(c.predictedUs(), 1),
                    Units.fixed(c.measuredUs(), 1), c.measuredUs() > 0 ? Units.fixed(c.errorPct(), 1) + "%" : "-");
        }
        out.print(table.render());
        out.println("median |error| " + Units.fixed(result.medianAbsErrorPct(), 1) + "%, max "
                + Units.fixed(result.maxAbsErrorPct(), 1) + "%; imbalance (max/mean) predicted "
                + Units.fixed(result.predictedImbalance(), 3) + ", measured " + Units.fixed(result.measuredImbalance(), 3));
        return ExitCodes.OK;
    }

    private CostModel costModel(ScenarioSpec s, String backendName) {
        if (calibration != null) {
            return CostModels.fromProfile(calibration, s.cluster());
        }
        if (s.calibration() == null && backendName.equals("cpu")) {
            throw new ScenarioException(scenario.file() + ": validate on the cpu backend needs a CPU calibration "
                    + "profile: run `mohge calibrate --backend cpu --out calibration/cpu-local.json` and pass "
                    + "--calibration calibration/cpu-local.json");
        }
        return CostModels.forScenario(s, scenario.file());
    }
}
