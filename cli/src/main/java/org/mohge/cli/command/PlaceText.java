package org.mohge.cli.command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.deploy.TokenSplit;
import org.mohge.costmodel.load.LoadProfile;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.PlacementComparison;
import org.mohge.placement.PlacementProblem;

/** The text report of {@code mohge place}: the strategy table, per-layer table, node span and notes. */
final class PlaceText {
    private PlaceText() {
    }

    /** Where the loads came from, the cost model, and the lower bounds (means over layers). */
    record Header(String loadSource, String costModel, double lowerBoundUs, double perfectBalanceUs,
                  double largestCopyUs) {
    }

    static void print(PrintWriter out, ScenarioSpec s, PlacementProblem problem, LayeredComparison layered,
                      Header head, List<NodeSpanReport.Json> nodeSpan, int maxNodes, String bestName) {
        LoadProfile loads = problem.loads();
        boolean perLayer = layered.perLayer().size() > 1;
        List<String> ran = layered.strategies();
        out.println("Placement of " + s.name() + ": " + problem.expertCount() + " experts on " + s.cluster().nodes()
                + " x " + s.cluster().gpusPerNode() + " " + s.cluster().gpu().name() + ", spare slots "
                + problem.spareSlots() + ", loads from " + head.loadSource() + " (" + loads.layers().size() + " layers)");
        out.println("cost model: " + head.costModel());
        out.println("token split: " + problem.split().scenarioName() + (problem.split() == TokenSplit.WEIGHTED
                ? " (each copy its own share: needs a runtime with weighted dispatch)"
                : " (each copy of an expert serves an equal part, as round-robin and hashed dispatchers do)"));
        out.println((perLayer ? "mean over layers of the lower bound" : "lower bound") + " on max GPU expert time: "
                + Units.fixed(head.lowerBoundUs(), 1) + " us (perfect balance " + Units.fixed(head.perfectBalanceUs(), 1)
                + " us, largest expert copy " + Units.fixed(head.largestCopyUs(), 1) + " us)");
        if (perLayer) {
            out.println("each layer placed from its own loads; figures are means over the "
                    + layered.perLayer().size() + " layers, solve s the total");
        }
        out.println();
        TextTable table = new TextTable("strategy", "max GPU us", "max/mean", "layer us", "max mem GiB",
                "min headroom GiB", "inter-node GB", "extra copies", "solve s", "gap to bound");
        boolean anyInfeasible = false;
        boolean anyCut = false;
        for (String name : ran) {
            PlaceCommand.StrategyJson e = PlaceCommand.StrategyJson.of(layered.results(name), true);
            boolean feasible = e.fitsMemory() && e.withinLimits();
            anyInfeasible |= !feasible;
            anyCut |= e.cutByClock();
            table.row(name + (feasible ? "" : " (!)") + (e.cutByClock() ? " (cut)" : ""),
                    Units.fixed(e.maxGpuLoad(), 1), Units.fixed(e.imbalance(), 3), Units.fixed(e.layerTimeUs(), 1),
                    Units.gib(e.maxMemoryBytes()), Units.gib(e.minHeadroomBytes()),
                    Units.fixed(e.interNodeBytes() / 1e9, 3), e.extraCopies(), Units.fixed(e.solveSeconds(), 1),
                    Units.percent(e.gapToLowerBound()));
        }
        out.print(table.render());
        if (perLayer) {
            out.println();
            List<String> header = new ArrayList<>();
            header.add("layer");
            ran.forEach(name -> header.add(name + " max/mean"));
            header.add("best");
            TextTable layers = new TextTable(header.toArray(String[]::new));
            for (int l = 0; l < layered.perLayer().size(); l++) {
                PlacementComparison c = layered.perLayer().get(l);
                List<Object> row = new ArrayList<>();
                row.add(layered.layerNumbers().get(l));
                c.results().forEach(r -> row.add(Units.fixed(r.evaluation().imbalance(), 3)));
                row.add(c.best().strategy());
                layers.row(row.toArray());
            }
            out.print(layers.render());
        }
        if (nodeSpan != null) {
            NodeSpanReport.print(out, nodeSpan, maxNodes);
        }
        if (anyInfeasible) {
            out.println("(!) over HBM capacity, maxExpertsPerGpu, spareSlots or the token split");
        }
        if (anyCut) {
            out.println("(cut) stopped by the --seconds cap before its move budget: the result depends on machine "
                    + "speed and load");
        }
        out.println("best: " + bestName);
    }
}
