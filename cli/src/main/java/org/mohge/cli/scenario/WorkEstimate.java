package org.mohge.cli.scenario;

import java.nio.file.Path;
import java.util.Locale;
import org.mohge.cli.output.Units;
import org.mohge.costmodel.arch.ModelSpec;

/**
 * How long a scenario's simulation will take, estimated before it starts from the routing
 * decisions it must draw, so a run of hours is refused with one line unless the user says
 * {@code --force}.
 */
public final class WorkEstimate {
    /**
     * Routing decisions per second, rounded down from the one-core figure {@code mohge bench sim}
     * measures on a 2-core CI machine (6.3 M token-layer decisions/s for exact routing).
     */
    static final double DECISIONS_PER_SECOND = 5e6;
    /**
     * Runs estimated above this need {@code --force}: 15 minutes, or the system property
     * {@code mohge.runLimitSeconds} (test harnesses lower it to keep generated runs short).
     */
    static double limitSeconds() {
        return Double.parseDouble(System.getProperty("mohge.runLimitSeconds", "900"));
    }

    private WorkEstimate() {
    }

    /**
     * Routing decisions of all simulated steps: one per token and MoE layer (exact), or one per
     * expert, GPU and layer (aggregate); under a parallel layout one rank per stage is simulated and
     * expert loads are drawn per micro-batch and layer, one draw per expert.
     */
    public static double decisions(ScenarioSpec s) {
        ModelSpec m = s.model();
        int experts = m.moe() == null ? 0 : m.moe().expertCount();
        if (s.hasLayout()) {
            return (double) s.layout().microBatches() * m.moeLayers() * experts * s.routing().steps();
        }
        double perStep = s.routing().exact()
                ? (double) s.workload().tokensPerStep() * m.moeLayers()
                : (double) s.workload().microBatches() * s.cluster().gpuCount() * experts * m.moeLayers();
        return perStep * s.routing().steps();
    }

    public static double seconds(ScenarioSpec s) {
        return decisions(s) / DECISIONS_PER_SECOND;
    }

    /** Throws a one-line {@link ScenarioException} when the estimate is over the limit and {@code force} is off. */
    public static void requireAffordable(ScenarioSpec s, Path file, boolean force) {
        double seconds = seconds(s);
        double limit = limitSeconds();
        if (force || seconds <= limit) {
            return;
        }
        String keys = s.hasLayout() ? "routing.steps x training.globalBatchSize / microBatchSize"
                : "routing.steps x workload.tokensPerStep";
        throw new ScenarioException(String.format(Locale.ROOT, "%s: %s would take "
                + "about %s to simulate (%.3g routing decisions at about %.0f M/s), over the limit of %s; lower "
                + "them, or run with --force", file, keys, Units.duration(seconds), decisions(s),
                DECISIONS_PER_SECOND / 1e6, Units.duration(limit)));
    }
}
