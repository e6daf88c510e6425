package org.mohge.cli.serve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.mohge.cli.plan.GpuPrices;
import org.mohge.cli.scenario.OutputSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.Require;

/**
 * A serving capacity plan (a {@code mohge plan} file with a {@code servingTarget}): the base
 * scenario with a {@code serving} section (path relative to this file), the deployments to try
 * (every combination of GPU type, attention {@code tp} and {@code dp}, and replica count or
 * prefill:decode pair with each pool's layout), the
 * target traffic and latency, and the price of one GPU-hour per GPU type. Each point serves
 * Poisson traffic at {@code servingTarget.requestsPerSecond} with the base's lengths, scheduler and
 * KV settings, {@code requests} requests (default: the base's).
 */
public record ServingPlanSpec(@JsonProperty(required = true) String name, String description,
                              @JsonProperty(required = true) String base,
                              @JsonProperty(required = true) ServingTarget servingTarget,
                              @JsonProperty(required = true) Axes axes,
                              @JsonProperty(required = true) Map<String, Double> pricePerGpuHour,
                              Long requests, OutputSpec output) {

    /** What a deployment must do: serve this rate with p99 TTFT and p99 TPOT within these, rejecting nothing. */
    public record ServingTarget(@JsonProperty(required = true) double requestsPerSecond,
                                @JsonProperty(required = true) double ttftP99Ms,
                                @JsonProperty(required = true) double tpotP99Ms) {
        public ServingTarget {
            Require.positive(requestsPerSecond, "requestsPerSecond");
            Require.positive(ttftP99Ms, "ttftP99Ms");
            Require.positive(tpotP99Ms, "tpotP99Ms");
        }
    }

    /**
     * One pool's replica layout: attention {@code tp x dp}, experts over all of its GPUs, on
     * {@code gpu} (a catalog name; default: the point's GPU type from the gpu axis).
     */
    public record Layout(@JsonProperty(required = true) int tp, @JsonProperty(required = true) int dp, String gpu) {
        public Layout {
            Require.positive(tp, "tp");
            Require.positive(dp, "dp");
            if (gpu != null) {
                Require.check(GpuCatalog.find(gpu).isPresent(), "gpu",
                        "names no known GPU (known: " + String.join(", ", GpuCatalog.names()) + ")");
                gpu = GpuCatalog.get(gpu).name();
            }
        }

        public Layout(int tp, int dp) {
            this(tp, dp, null);
        }
    }

    /**
     * The values tried on each axis. {@code replicas} gives unified deployments; {@code prefillDecode}
     * (pairs of prefill and decode replica counts) gives disaggregated ones; at least one of the two.
     * A disaggregated point's replicas are {@code tp x dp} GPUs in both pools, unless
     * {@code prefillLayouts} or {@code decodeLayouts} (given together) list each pool's layouts:
     * then every pair, prefill:decode ratio and prefill and decode layout is tried.
     */
    public record Axes(@JsonProperty(required = true) List<String> gpu, List<Integer> tp, List<Integer> dp,
                       List<Integer> replicas, List<List<Integer>> prefillDecode, List<Layout> prefillLayouts,
                       List<Layout> decodeLayouts) {
        public Axes {
            gpu = List.copyOf(Require.nonEmpty(gpu, "gpu"));
            for (int i = 0; i < gpu.size(); i++) {
                String g = gpu.get(i);
                Require.check(GpuCatalog.find(g).isPresent(), "gpu[" + i + "]",
                        "names no known GPU (known: " + String.join(", ", GpuCatalog.names()) + ")");
            }
            tp = tp == null ? List.of(1) : List.copyOf(Require.nonEmpty(tp, "tp"));
            dp = dp == null ? List.of(1) : List.copyOf(Require.nonEmpty(dp, "dp"));
            Require.check(replicas != null || prefillDecode != null, "replicas",
                    "or prefillDecode is required (the replica counts to try)");
            replicas = replicas == null ? List.of() : List.copyOf(Require.nonEmpty(replicas, "replicas"));
            prefillDecode = prefillDecode == null ? List.of() : List.copyOf(Require.nonEmpty(prefillDecode,
                    "prefillDecode"));
            for (int i = 0; i < prefillDecode.size(); i++) {
                List<Integer> pair = prefillDecode.get(i);
                Require.check(pair.size() == 2, "prefillDecode[" + i + "]",
                        "must be [prefill replicas, decode replicas], got " + pair);
                Require.positive(pair.get(0), "prefillDecode[" + i + "][0]");
                Require.positive(pair.get(1), "prefillDecode[" + i + "][1]");
            }
            Require.check((prefillLayouts == null) == (decodeLayouts == null), prefillLayouts == null
                    ? "prefillLayouts" : "decodeLayouts", "must be given together with "
                    + (prefillLayouts == null ? "decodeLayouts" : "prefillLayouts"));
            Require.check(prefillLayouts == null || !prefillDecode.isEmpty(), "prefillLayouts",
                    "needs prefillDecode (the prefill and decode replica counts to try)");
            prefillLayouts = prefillLayouts == null ? null : List.copyOf(Require.nonEmpty(prefillLayouts,
                    "prefillLayouts"));
            decodeLayouts = decodeLayouts == null ? null : List.copyOf(Require.nonEmpty(decodeLayouts,
                    "decodeLayouts"));
            for (int i = 0; i < tp.size(); i++) {
                Require.positive(tp.get(i), "tp[" + i + "]");
            }
            for (int i = 0; i < dp.size(); i++) {
                Require.positive(dp.get(i), "dp[" + i + "]");
            }
            for (int i = 0; i < replicas.size(); i++) {
                Require.positive(replicas.get(i), "replicas[" + i + "]");
            }
        }

        /** True when the prefill and decode pools have layouts of their own. */
        public boolean perPoolLayouts() {
            return prefillLayouts != null;
        }
    }

    public ServingPlanSpec {
        OutputSpec.requireFolderName(name);
        Require.text(base, "base");
        Require.present(servingTarget, "servingTarget");
        Require.present(axes, "axes");
        pricePerGpuHour = GpuPrices.checked(pricePerGpuHour, axes.gpu());
        if (axes.perPoolLayouts()) {
            for (String pool : List.of("prefillLayouts", "decodeLayouts")) {
                List<Layout> layouts = pool.equals("prefillLayouts") ? axes.prefillLayouts() : axes.decodeLayouts();
                for (int i = 0; i < layouts.size(); i++) {
                    String gpu = layouts.get(i).gpu();
                    Require.check(gpu == null || pricePerGpuHour.containsKey(gpu), "pricePerGpuHour",
                            "must give a price for every GPU a pool names; missing '" + gpu + "' (axes." + pool
                                    + "[" + i + "].gpu)");
                }
            }
        }
        if (requests != null) {
            Require.positive(requests, "requests");
        }
        output = output == null ? OutputSpec.defaults() : output;
    }
}
