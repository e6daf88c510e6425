package org.mohge.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.AtomicFiles;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.serve.CapacitySearch;
import org.mohge.cli.serve.ServeReport;
import org.mohge.cli.serve.ServeRunner;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;
import org.mohge.sim.serving.ServingTraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge serve}: request-level serving simulation of the scenario's {@code serving} section. */
@Command(name = "serve",
        header = "Simulate serving traffic: TTFT, TPOT, throughput, goodput, KV cache.",
        description = {"Simulate requests arriving at the deployment of the scenario's `serving`",
            "section: continuous batching (or prefill-first), a paged KV cache sized from",
            "the memory left after weights, replicas behind a load balancer, optional",
            "prefill/decode disaggregation. Iterations are priced with the same per-op",
            "costs as training; decode counts the distinct experts each batch touches."},
        footer = {"", "Examples:",
            "  mohge serve scenarios/serving/qwen3-30b-a3b-1xh100.json",
            "  mohge serve scenarios/serving/deepseek-v3-2x8xh200-ep16.json --rate 10 --json",
            "  mohge serve scenarios/serving/deepseek-v3-pd-4x8xh200.json --trace serve.json",
            "  mohge serve scenarios/serving/qwen3-30b-a3b-1xh100.json --max-rate",
            "  mohge serve scenarios/serving/qwen3-30b-a3b-1xh100.json --replicas 4 --rate 20",
            "",
            "Open a --trace file in https://ui.perfetto.dev: one process per replica,",
            "one slice per iteration."})
public final class ServeCommand implements Callable<Integer> {
    private static final long TRACE_ITERATIONS = 200_000;

    @Mixin
    ScenarioArgument scenario;
    @Mixin
    FormatOption format;
    @Option(names = "--trace", paramLabel = "FILE",
            description = "Also write the iterations as Chrome trace-event JSON (first 200,000 iterations).")
    Path traceFile;
    @Option(names = "--rate", paramLabel = "REQ/S", description = "Override the arrival rate (Poisson and Gamma arrivals).")
    Double rate;
    @Option(names = "--requests", paramLabel = "N", description = "Override the number of requests.")
    Long requests;
    @Option(names = "--replicas", paramLabel = "N", description = "Override deployment.replicas (not with disaggregation).")
    Integer replicas;
    @Option(names = "--max-rate", description = "Find the highest arrival rate within the SLO (p99 TTFT and p99 "
            + "TPOT, no rejection): doubling from the scenario's rate, then bisection.")
    boolean maxRate;
    @Option(names = "--steps", defaultValue = "8", paramLabel = "N",
            description = "Bisection steps of --max-rate. Default: ${DEFAULT-VALUE}.")
    int steps;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ScenarioSpec s = scenario.load();
        Path file = scenario.file();
        if (traceFile != null) {
            AtomicFiles.check(traceFile);
        }
        ServingSpec serving = ServeReport.withReplicas(
                ServeReport.override(ServeRunner.servingOf(s, file), rate, requests, file), replicas, file);
        double[][] inclusion = ServeRunner.inclusion(s, file);
        if (maxRate) {
            CapacitySearch.Outcome outcome = CapacitySearch.search(s, file, serving, inclusion, steps);
            ServeReport.printCapacity(spec.commandLine().getOut(), s, serving, outcome, format.json());
            return ExitCodes.OK;
        }
        ServingResult[] result = new ServingResult[1];
        if (traceFile != null) {
            AtomicFiles.write(traceFile, os -> {
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                ServingTraceWriter trace = new ServingTraceWriter(w, TRACE_ITERATIONS);
                result[0] = ServeRunner.run(s, file, serving, inclusion, trace);
                trace.finish(result[0].pools().stream().mapToInt(p -> p.replicas()).sum());
                w.flush();
            });
        } else {
            result[0] = ServeRunner.run(s, file, serving, inclusion, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            ObjectNode json = JsonOutput.mapper().createObjectNode();
            json.put("scenario", s.name());
            json.put("costModel", ServeRunner.costModel(s, file));
            json.set("serving", JsonOutput.mapper().valueToTree(serving));
            json.set("result", JsonOutput.mapper().valueToTree(result[0]));
            // A run short against its latency: the share of throughput it may miss (0: long enough).
            json.put("shortRunMissingShare", ServeReport.shortRunMissingShare(result[0]));
            JsonOutput.print(out, json);
        } else {
            ServeReport.printText(out, s, serving, ServeRunner.costModel(s, file), result[0]);
        }
        if (traceFile != null) {
            spec.commandLine().getErr().println("wrote the iteration trace to " + traceFile);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }
}
