package org.mohge.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.deploy.LayeredPlacement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.solver.LayeredReplacement;
import org.mohge.placement.solver.Replacement;

/** {@code mohge place --from CURRENT --max-moves N}: re-places every profiled layer within the move budget. */
final class ReplaceReport {
    private ReplaceReport() {
    }

    /** One layer in the JSON output. */
    public record LayerJson(int layer, double maxGpuTimeBeforeUs, double maxGpuTimeAfterUs, double imbalanceBefore,
                            double imbalanceAfter, int expertsMoved, double bytesMoved, double transferUs) {
    }

    /** The JSON document of {@code place --from ... --json}. */
    public record ReplaceJson(String scenario, int maxMovesPerLayer, int expertsMoved, double bytesMoved,
                              double transferUs, List<LayerJson> layers) {
    }

    static int run(PlacementProblem problem, CostModel costModel, LayeredPlacement current, int maxMoves,
                   String scenarioName, boolean json, PrintWriter out, PrintWriter err, Path outFile) {
        LayeredReplacement.Result replaced = LayeredReplacement.replace(problem, costModel, current, maxMoves);
        List<LayerJson> rows = new ArrayList<>();
        for (int l = 0; l < replaced.layers().size(); l++) {
            Replacement.Result r = replaced.perLayer().get(l);
            rows.add(new LayerJson(replaced.layers().get(l), r.before().maxGpuTimeUs(), r.after().maxGpuTimeUs(),
                    r.before().imbalance(), r.after().imbalance(), r.expertsMoved(), r.bytesMoved(), r.transferUs()));
        }
        int moved = replaced.expertsMoved();
        double bytes = replaced.bytesMoved();
        double transfer = replaced.transferUs();
        if (outFile != null) {
            PlaceCommand.write(outFile, replaced.perLayer().size() == 1
                    ? JsonOutput.toJson(replaced.perLayer().get(0).placement())
                    : JsonOutput.toJson(replaced.placement()));
            err.println("wrote the re-placement to " + outFile);
            err.flush();
        }
        if (json) {
            JsonOutput.print(out, new ReplaceJson(scenarioName, maxMoves, moved, bytes, transfer, rows));
            return ExitCodes.OK;
        }
        out.println("Re-placement of " + scenarioName + " within " + maxMoves + " expert moves per layer ("
                + problem.layerCount() + " layers); max GPU expert time on the new loads");
        TextTable table = new TextTable("layer", "max GPU us before", "after", "max/mean before", "after",
                "experts moved", "GB moved", "transfer ms");
        for (LayerJson r : rows) {
            table.row(r.layer(), Units.fixed(r.maxGpuTimeBeforeUs(), 1), Units.fixed(r.maxGpuTimeAfterUs(), 1),
                    Units.fixed(r.imbalanceBefore(), 3), Units.fixed(r.imbalanceAfter(), 3), r.expertsMoved(),
                    Units.fixed(r.bytesMoved() / 1e9, 3), Units.fixed(r.transferUs() / 1e3, 2));
        }
        out.print(table.render());
        out.println("total: " + moved + " experts moved, " + Units.fixed(bytes / 1e9, 3) + " GB, transfer "
                + Units.fixed(transfer / 1e3, 2) + " ms (layer after layer, each GPU's links at full bandwidth)");
        return ExitCodes.OK;
    }
}
