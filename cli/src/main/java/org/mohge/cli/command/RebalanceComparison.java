package org.mohge.cli.command;

import java.io.PrintWriter;
import java.util.List;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.RebalanceSpec;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.solver.LayeredReplacement;
import org.mohge.sim.SimulationInput;
import org.mohge.sim.Simulator;
import org.mohge.sim.metrics.SimResult;
import org.mohge.sim.rebalance.Rebalance;
import org.mohge.sim.rebalance.RebalanceLog;
import org.mohge.sim.rebalance.Rebalancer;

/**
 * {@code placement.rebalance} in {@code mohge simulate}: the same steps (same routing draws) once
 * with the scenario's placement throughout and once re-placed every K steps by the move-budgeted
 * re-placement ({@link LayeredReplacement}) from the loads observed since the last one; tokens/s
 * with rebalancing counts the transfers as time the job waits.
 */
record RebalanceComparison(RebalanceSpec spec, SimResult without, SimResult with, RebalanceLog log) {

    /** The JSON of {@code simulate --json}'s {@code rebalance} member. */
    record Json(int everySteps, int maxMovesPerLayer, int replacements, int expertsMoved, double bytesMoved,
                double transferUs, double tokensPerSecondWithout, double tokensPerSecondWith,
                double stepTimeUsWith, double imbalanceWith, List<RebalanceLog.Entry> entries) {
    }

    static RebalanceComparison run(ScenarioSpec s, SimulationInput input, SimResult without, CostModel costModel) {
        RebalanceSpec spec = s.placement().rebalance();
        Rebalancer rebalancer = (afterStep, observed, current) -> {
            PlacementProblem problem = PlacementProblem.of(s.model(), s.cluster(), s.workload(), observed,
                    s.placement(), s.seed());
            LayeredReplacement.Result r = LayeredReplacement.replace(problem, costModel, current, spec.maxMoves());
            return new Rebalance(r.placement(), r.expertsMoved(), r.bytesMoved(), r.transferUs());
        };
        Simulator.RebalancedRun run = Simulator.runWithRebalancing(input, spec.everySteps(), rebalancer);
        return new RebalanceComparison(spec, without, run.run().result(), run.log());
    }

    /** Tokens per second over all simulated steps with the transfers' time added. */
    double tokensPerSecondWith() {
        double seconds = (with.stepTimeUs() * with.steps() + log.transferUs()) * 1e-6;
        return seconds > 0 ? (double) with.tokensPerStep() * with.steps() / seconds : 0;
    }

    Json json() {
        return new Json(spec.everySteps(), spec.maxMoves(), log.entries().size(), log.expertsMoved(),
                log.bytesMoved(), log.transferUs(), without.tokensPerSecond(), tokensPerSecondWith(),
                with.stepTimeUs(), with.imbalance(), log.entries());
    }

    void print(PrintWriter out) {
        out.println();
        out.println("Rebalancing every " + spec.everySteps() + " step(s), at most " + spec.maxMoves()
                + " expert moves per MoE layer (loads observed since the last re-placement):");
        TextTable table = new TextTable("after step", "experts moved", "GB moved", "transfer ms");
        for (RebalanceLog.Entry e : log.entries()) {
            table.row(e.afterStep(), e.expertsMoved(), Units.fixed(e.bytesMoved() / 1e9, 3),
                    Units.fixed(e.transferUs() / 1e3, 2));
        }
        out.print(table.render());
        double gain = without.tokensPerSecond() > 0 ? tokensPerSecondWith() / without.tokensPerSecond() - 1 : 0;
        out.println("tokens/s without rebalancing " + Units.count(without.tokensPerSecond()) + ", with "
                + Units.count(tokensPerSecondWith()) + " net of " + Units.fixed(log.transferUs() / 1e3, 2)
                + " ms of transfers (" + (gain >= 0 ? "+" : "") + Units.percent(gain) + "); worst layer imbalance "
                + Units.fixed(without.imbalance(), 3) + " -> " + Units.fixed(with.imbalance(), 3));
    }
}
