package org.mohge.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small serving plan for tests (a few seconds per run). */
public final class ServingPlanFixtures {
    private ServingPlanFixtures() {
    }

    public static Path smallPlan(Path dir) throws IOException {
        return plan(dir, "");
    }

    /** A two-layer MoE base with a serving section and a 16-point plan around it (2 GPU types x 2 tp x 4). */
    public static Path plan(Path dir, String planExtra) throws IOException {
        Files.writeString(dir.resolve("base.json"), """
                {"name": "plan-base", "seed": 5,
                 "model": {"hiddenSize": 256, "layers": 2, "vocabSize": 1000,
                           "attention": {"type": "gqa", "heads": 4, "kvHeads": 2, "headDim": 64},
                           "moe": {"type": "uniform", "experts": 8, "expertHidden": 256, "topK": 2}},
                 "cluster": {"gpu": "h100-sxm", "nodes": 1, "gpusPerNode": 8},
                 "workload": {"kind": "inference", "tokensPerStep": 1024, "sequenceLength": 128},
                 "serving": {"arrivals": {"type": "poisson", "ratePerSecond": 10},
                             "promptTokens": {"type": "uniform", "minTokens": 50, "maxTokens": 300},
                             "outputTokens": {"type": "uniform", "minTokens": 5, "maxTokens": 40},
                             "requests": 300,
                             "scheduler": {"maxRunningSeqs": 4},
                             "kvCache": {"blocks": 200}}}
                """);
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, """
                {"name": "p", "base": "base.json",
                 "servingTarget": {"requestsPerSecond": 200, "ttftP99Ms": 20, "tpotP99Ms": 2},
                 "axes": {"gpu": ["h100-sxm", "h200-sxm"], "tp": [1, 2], "replicas": [1, 2, 4],
                          "prefillDecode": [[1, 2]]},
                 "pricePerGpuHour": {"h100-sxm": 2.5, "h200-sxm": 3.5}%s}
                """.formatted(planExtra));
        return plan;
    }
}
