package org.mohge.cli.serve;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.LatencySummary;
import org.mohge.sim.serving.PoolSummary;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;

/** Command-line overrides of a serving section and the text report of a serving run. */
public final class ServeReport {
    /**
     * A run whose mean end-to-end latency exceeds this share of its arrival window is flagged as
     * short: the requests in flight when arrivals end are missing from its throughput.
     */
    static final double SHORT_RUN_LATENCY_SHARE = 0.1;

    private ServeReport() {
    }

    /**
     * Up to what share of the throughput a run short against its latency misses (mean end to end over
     * the arrival window, at most 1); 0 for a run long enough ({@link #SHORT_RUN_LATENCY_SHARE}).
     */
    public static double shortRunMissingShare(ServingResult r) {
        double meanE2eS = r.e2e().meanMs() / 1e3;
        return meanE2eS > SHORT_RUN_LATENCY_SHARE * r.windowS() ? Math.min(1, meanE2eS / r.windowS()) : 0;
    }

    /** The section with {@code rate} (req/s) and {@code requests} replaced where given. */
    public static ServingSpec override(ServingSpec serving, Double rate, Long requests, Path file) {
        ServingSpec s = serving;
        if (rate != null) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new ScenarioException("--rate must be > 0, got " + rate);
            }
            ArrivalSpec a = s.arrivals();
            if (a instanceof ArrivalSpec.Poisson) {
                s = s.withArrivals(new ArrivalSpec.Poisson(rate));
            } else if (a instanceof ArrivalSpec.Gamma g) {
                s = s.withArrivals(new ArrivalSpec.Gamma(rate, g.burstiness()));
            } else {
                throw new ScenarioException(file + ": serving.arrivals --rate needs poisson or gamma arrivals, not a trace");
            }
        }
        if (requests != null) {
            if (requests <= 0) {
                throw new ScenarioException("--requests must be > 0, got " + requests);
            }
            s = s.withRequests(requests);
        }
        return s;
    }

    /** The section with {@code deployment.replicas} replaced where given. */
    public static ServingSpec withReplicas(ServingSpec s, Integer replicas, Path file) {
        if (replicas == null) {
            return s;
        }
        if (replicas <= 0) {
            throw new ScenarioException("--replicas must be > 0, got " + replicas);
        }
        if (s.disaggregated()) {
            throw new ScenarioException(file + ": serving.disaggregation --replicas applies to deployment only");
        }
        org.mohge.sim.serving.PoolSpec d = s.deployment();
        return s.withPools(new org.mohge.sim.serving.PoolSpec(replicas, d.tp(), d.dp(), d.ep()), null);
    }

    /** {@code 16 x h200-sxm}, or per GPU kind when a pool runs on another: {@code 16 x h200-sxm + 8 x h100-sxm}. */
    private static String gpus(ScenarioSpec scenario, ServingResult r) {
        java.util.Map<String, Integer> byKind = new java.util.LinkedHashMap<>();
        byKind.put(scenario.cluster().gpu().name(), 0);
        for (PoolSummary p : r.pools()) {
            byKind.merge(p.gpu() == null ? scenario.cluster().gpu().name() : p.gpu(), p.gpus(), Integer::sum);
        }
        byKind.values().removeIf(n -> n == 0);
        return byKind.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                .collect(java.util.stream.Collectors.joining(" + "));
    }

    static String arrivals(ServingSpec s) {
        ArrivalSpec a = s.arrivals();
        if (a instanceof ArrivalSpec.Poisson p) {
            return "Poisson " + Units.fixed(p.ratePerSecond(), 2) + " req/s";
        }
        if (a instanceof ArrivalSpec.Gamma g) {
            return "Gamma " + Units.fixed(g.ratePerSecond(), 2) + " req/s, burstiness " + Units.fixed(g.burstiness(), 2);
        }
        return "trace " + ((ArrivalSpec.Trace) a).path();
    }

    public static void printText(PrintWriter out, ScenarioSpec scenario, ServingSpec s, String costModel,
                                 ServingResult r) {
        out.println("Serving simulation of " + scenario.name() + ": " + arrivals(s) + ", " + gpus(scenario, r)
                + ", scheduler " + s.scheduler().policy().name().toLowerCase(
                        java.util.Locale.ROOT).replace('_', '-') + ", seed " + scenario.seed());
        out.println("cost model: " + costModel);
        out.println("requests: " + r.arrived() + " arrived, " + r.completed() + " completed, " + r.rejected()
                + " rejected (longer than the KV cache or the token budget), " + r.preemptions() + " preemptions; "
                + Units.fixed(r.durationS(), 2) + " s to the last completion, " + r.iterations() + " iterations");
        out.println();
        TextTable pools = new TextTable("pool", "replicas", "tp", "dp=ep", "GPUs", "KV pages/replica",
                "KV tokens/replica", "iterations", "busy");
        for (PoolSummary p : r.pools()) {
            String role = p.role().name().toLowerCase(java.util.Locale.ROOT);
            boolean otherGpu = p.gpu() != null && !p.gpu().equals(scenario.cluster().gpu().name());
            pools.row(otherGpu ? role + " on " + p.gpu() : role, p.replicas(), p.tp(), p.dp(), p.gpus(),
                    p.kvBlocksPerReplica(), Units.count(p.kvTokensPerReplica()), p.iterations(),
                    Units.percent(p.busyFraction()));
        }
        out.print(pools.render());
        if (r.pools().stream().anyMatch(p -> p.dp() > 1)) {
            out.println("(the dp attention ranks of a replica are folded: one scheduler with dp x the batch limits"
                    + " and their pooled KV pages, ranks taken as balanced)");
        }
        out.println();
        if (r.completed() == 0) {
            out.println("no request completed (" + r.rejected() + " of " + r.arrived() + " rejected as longer than the "
                    + "KV cache or the token budget): no latency or throughput to report; give the GPUs more KV "
                    + "room or the requests fewer tokens");
            out.flush();
            return;
        }
        TextTable lat = new TextTable("latency (ms)", "mean", "p50", "p90", "p99", "max");
        row(lat, "TTFT", r.ttft());
        row(lat, "TPOT", r.tpot());
        row(lat, "end to end", r.e2e());
        row(lat, "queueing", r.queueing());
        out.print(lat.render());
        out.println();
        out.println("throughput over the " + Units.fixed(r.windowS(), 1) + " s of arrivals: "
                + Units.fixed(r.requestsPerS(), 2) + " req/s, " + Units.count(r.inputTokensPerS())
                + " input tokens/s, " + Units.count(r.outputTokensPerS()) + " output tokens/s ("
                + Units.count(r.outputTokensPerSPerGpu()) + " per GPU)");
        double missing = shortRunMissingShare(r);
        if (missing > 0) {
            // Requests arriving in the window's last mean latency finish after it and are not counted.
            out.println("caution: the arrivals took " + Units.fixed(r.windowS(), 1) + " s against a mean end to end of "
                    + Units.fixed(r.e2e().meanMs() / 1e3, 1) + " s, so the requests still running when they end are "
                    + "missing from the throughput (up to about " + Units.percent(missing) + " of it); run more "
                    + "requests (--requests " + 10L * Math.max(1, r.arrived()) + ") for a steady-state figure");
        }
        if (s.slo() != null) {
            out.println("goodput (TTFT <= " + Units.fixed(s.slo().ttftMs(), 0) + " ms and TPOT <= "
                    + Units.fixed(s.slo().tpotMs(), 0) + " ms): " + Units.fixed(r.goodputRequestsPerS(), 2)
                    + " req/s, " + Units.percent(r.sloAttainment()) + " of requests");
        }
        out.println("batch per iteration: " + Units.fixed(r.meanBatchSeqs(), 1) + " sequences, "
                + Units.fixed(r.meanBatchTokens(), 1) + " tokens; KV cache use mean " + Units.percent(r.meanKvUse())
                + ", peak " + Units.percent(r.peakKvUse()));
        out.println("expert-rank imbalance in decode (slowest / mean rank expert time): "
                + Units.fixed(r.expertImbalance(), 3));
        out.println("(--json adds the time series of batch size and KV use)");
        out.flush();
    }

    /** The rate search: every evaluated rate, then the answer. */
    public static void printCapacity(PrintWriter out, ScenarioSpec scenario, ServingSpec s,
                                     CapacitySearch.Outcome outcome, boolean json) {
        int gpus = s.gpus();
        double saturationShare = outcome.saturationShare();
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode node = org.mohge.cli.output.JsonOutput.mapper()
                    .createObjectNode();
            node.put("scenario", scenario.name());
            node.put("gpus", gpus);
            node.put("maxRatePerSecond", outcome.maxRatePerSecond());
            node.put("maxRatePerSecondPerGpu", outcome.maxRatePerSecond() / gpus);
            node.put("saturationShare", saturationShare);
            node.set("slo", org.mohge.cli.output.JsonOutput.mapper().valueToTree(outcome.slo()));
            com.fasterxml.jackson.databind.node.ArrayNode points = node.putArray("points");
            for (CapacitySearch.Point p : outcome.points()) {
                com.fasterxml.jackson.databind.node.ObjectNode pn = points.addObject();
                pn.put("ratePerSecond", p.ratePerSecond());
                pn.put("meetsSlo", p.meetsSlo());
                pn.set("result", org.mohge.cli.output.JsonOutput.mapper().valueToTree(p.result()));
            }
            org.mohge.cli.output.JsonOutput.print(out, node);
            return;
        }
        out.println("Capacity search for " + scenario.name() + " on " + gpus + " x " + scenario.cluster().gpu().name()
                + ": p99 TTFT <= " + Units.fixed(outcome.slo().ttftMs(), 0) + " ms, p99 TPOT <= "
                + Units.fixed(outcome.slo().tpotMs(), 0) + " ms, " + s.requests() + " requests per point, seed "
                + scenario.seed());
        TextTable t = new TextTable("req/s", "TTFT p99 ms", "TPOT p99 ms", "E2E p99 ms", "out tok/s", "KV peak",
                "rejected", "within SLO");
        for (CapacitySearch.Point p : outcome.points()) {
            ServingResult r = p.result();
            t.row(Units.fixed(p.ratePerSecond(), 3), Units.fixed(r.ttft().p99Ms(), 1), Units.fixed(r.tpot().p99Ms(), 2),
                    Units.fixed(r.e2e().p99Ms(), 0), Units.count(r.outputTokensPerS()), Units.percent(r.peakKvUse()),
                    r.rejected(), p.meetsSlo() ? "yes" : "no");
        }
        out.print(t.render());
        out.println();
        out.println("highest rate within the SLO: " + Units.fixed(outcome.maxRatePerSecond(), 3) + " req/s ("
                + Units.fixed(outcome.maxRatePerSecond() / gpus, 3) + " req/s per GPU)");
        if (saturationShare >= CapacitySearch.NEAR_SATURATION) {
            out.println("caution: at that rate the deployment already delivers " + Units.percent(saturationShare)
                    + " of the most output any rate drew from it; so close to saturation a queue builds slowly, and "
                    + s.requests() + " requests may be too few to show it: confirm with --rate "
                    + Units.fixed(outcome.maxRatePerSecond(), 3) + " --requests " + 16L * s.requests());
        }
        out.flush();
    }

    private static void row(TextTable t, String name, LatencySummary l) {
        t.row(name, Units.fixed(l.meanMs(), 2), Units.fixed(l.p50Ms(), 2), Units.fixed(l.p90Ms(), 2),
                Units.fixed(l.p99Ms(), 2), Units.fixed(l.maxMs(), 2));
    }
}
