package org.mohge.cli.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.placement.PlacementProblem;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.placement.evaluation.NodeSpan;

/**
 * In {@code mohge place}, when the {@code hierarchical} strategy ran or the scenario limits nodes per
 * token: how many nodes one token's copies reach under each strategy (the most, over every layer,
 * and the expected remote nodes, mean over layers), and the inter-node bytes per micro-batch with
 * node-deduplicated dispatch (each token's hidden state once per remote node, dispatch and combine).
 */
final class NodeSpanReport {
    private NodeSpanReport() {
    }

    /** One strategy in {@code place --json}'s {@code nodeSpan}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Json(String strategy, int maxNodesPerToken, double remoteNodesPerToken, double dedupInterNodeBytes,
                Boolean overMaxNodesPerToken) {
    }

    static boolean wanted(List<String> strategies, int maxNodesPerToken) {
        return strategies.contains("hierarchical") || maxNodesPerToken > 0;
    }

    static List<Json> of(PlacementProblem problem, LayeredComparison layered, int maxNodesPerToken) {
        int nodes = problem.cluster().nodes();
        int perNode = problem.cluster().gpusPerNode();
        double tokens = problem.workload().tokensPerStep() / (double) problem.workload().microBatches();
        double tokenBytes = (double) problem.model().hiddenSize() * problem.model().bytesPerValue();
        List<Json> rows = new ArrayList<>();
        for (String strategy : layered.strategies()) {
            int most = 0;
            double remote = 0;
            List<PlacementResult> results = layered.results(strategy);
            for (int l = 0; l < results.size(); l++) {
                Placement p = results.get(l).placement();
                most = Math.max(most, NodeSpan.maxNodesPerToken(p, problem.model().moe(), nodes, perNode));
                remote += NodeSpan.expectedRemoteNodesPerToken(p, problem.model().moe(),
                        problem.forLayer(l).meanShares(), nodes, perNode) / results.size();
            }
            rows.add(new Json(strategy, most, remote, 2 * tokens * remote * tokenBytes,
                    maxNodesPerToken > 0 ? most > maxNodesPerToken : null));
        }
        return rows;
    }

    static void print(PrintWriter out, List<Json> rows, int maxNodesPerToken) {
        out.println();
        out.println("Nodes per token (each token sent once per remote node)" + (maxNodesPerToken > 0
                ? "; routing.maxNodesPerToken " + maxNodesPerToken : "") + ":");
        TextTable table = new TextTable("strategy", "nodes at most", "remote nodes expected",
                "inter-node GB deduplicated");
        for (Json r : rows) {
            table.row(r.strategy() + (Boolean.TRUE.equals(r.overMaxNodesPerToken()) ? " (over)" : ""),
                    r.maxNodesPerToken(), Units.fixed(r.remoteNodesPerToken(), 3),
                    Units.fixed(r.dedupInterNodeBytes() / 1e9, 3));
        }
        out.print(table.render());
        if (rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.overMaxNodesPerToken()))) {
            out.println("(over) a token's experts can lie on more nodes than routing.maxNodesPerToken allows: the "
                    + "router would have to pass over some of its top experts");
        }
    }
}
