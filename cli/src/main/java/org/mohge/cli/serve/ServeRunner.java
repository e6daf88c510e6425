package org.mohge.cli.serve;

import java.nio.file.Path;
import org.mohge.cli.scenario.CostModels;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioInputs;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.GpuSpec;
import org.mohge.costmodel.spec.SpecViolation;
import org.mohge.sim.InputFileException;
import org.mohge.sim.routing.RoutingModel;
import org.mohge.sim.routing.RoutingModels;
import org.mohge.sim.serving.IterationListener;
import org.mohge.sim.serving.ServingDeployment;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;

/** Runs a scenario's serving section (or a variant of it) with the scenario's model, cost model and routing. */
public final class ServeRunner {
    private ServeRunner() {
    }

    /** The scenario's serving section; a scenario without one is an input error. */
    public static ServingSpec servingOf(ScenarioSpec s, Path file) {
        if (!s.hasServing()) {
            throw new ScenarioException(file + ": serving is required by this command (see scenarios/README.md)");
        }
        return s.serving();
    }

    /** Inclusion probability of every expert in every MoE layer under the scenario's routing model. */
    public static double[][] inclusion(ScenarioSpec s, Path file) {
        if (s.model().isDense()) {
            return new double[0][]; // no MoE layer, no experts to route to
        }
        Path base = file.toAbsolutePath().getParent();
        RoutingModel routing = RoutingModels.create(s.model(), s.workload(), ScenarioInputs.routing(s, file), s.seed(),
                base);
        double[][] p = new double[routing.moeLayers()][];
        for (int l = 0; l < p.length; l++) {
            p[l] = routing.expectedInclusion(l);
        }
        return p;
    }

    public static ServingResult run(ScenarioSpec s, Path file, ServingSpec serving, double[][] inclusion,
                                    IterationListener listener) {
        CostModel costModel = CostModels.forScenario(s, file);
        try {
            return ServingDeployment.run(serving, s.model(), costModel, inclusion, s.seed(),
                    file.toAbsolutePath().getParent(), listener, gpu -> costModelOn(s, file, gpu));
        } catch (InputFileException e) {
            throw new ScenarioException(e.getMessage(), e);
        } catch (SpecViolation e) {
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cost model of a pool on another GPU kind: that GPU's shipped calibration profile, else the
     * analytical roofline (a scenario's own profile file describes the cluster's GPU, not this one).
     */
    private static CostModel costModelOn(ScenarioSpec s, Path file, GpuSpec gpu) {
        String calibration = "analytical".equals(s.calibration()) ? s.calibration() : null;
        ScenarioSpec on = new ScenarioSpec(s.name(), s.seed(), s.model(), ServingDeployment.onGpu(gpu, s.cluster()),
                s.workload(), s.routing(), s.placement(), s.output(), s.simulation(), calibration, s.serving(),
                s.parallelism(), s.training(), s.precision());
        return CostModels.forScenario(on, file);
    }

    /** The cost model's description, for report footers. */
    public static String costModel(ScenarioSpec s, Path file) {
        return CostModels.forScenario(s, file).description();
    }
}
