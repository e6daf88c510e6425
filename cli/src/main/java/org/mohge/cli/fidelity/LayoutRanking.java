package org.mohge.cli.fidelity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mohge.costmodel.arch.ModelSpec;

/**
 * Whether the model orders published runs the way they were measured: for every two runs of the
 * same model (identical {@code model} section) on the same GPU whose published tokens/s/GPU differ
 * by at least {@link #MIN_PUBLISHED_RATIO}, does the prediction call the same one faster? That is
 * what choosing between layouts, precisions and dispatchers with this tool needs, and an error
 * shared by both runs (one profile's bias) cancels in it, so it says something the per-run error
 * does not.
 */
public final class LayoutRanking {
    /**
     * Runs closer than this are not ranked: the same layout of one model was published 6% apart in
     * different containers (GPT OSS 120B on 64 H100: 5,630 in 25.11, 5,993 in 26.02), so a smaller
     * gap is within what the published figures themselves move.
     */
    public static final double MIN_PUBLISHED_RATIO = 1.10;

    private LayoutRanking() {
    }

    /**
     * Two runs: the one published faster and the one published slower, by how much (ratio of
     * published tokens/s/GPU, at least {@link #MIN_PUBLISHED_RATIO}), the predicted ratio of the
     * same two (below 1: the model calls the published-slower run faster) and whether the order agrees.
     */
    public record Pair(String gpu, String faster, String fasterLayout, String slower, String slowerLayout,
                       double publishedRatio, double predictedRatio, boolean agrees) {
    }

    /** Every rankable pair, and how many of them the model orders as published. */
    public record Result(double minPublishedRatio, int agreeing, List<Pair> pairs) {
        public Result {
            pairs = List.copyOf(pairs);
        }
    }

    private record Group(ModelSpec model, String gpu) {
    }

    /** The pairs among {@code rows} (suite and checks together), in row order. */
    public static Result of(List<FidelitySuite.Row> rows) {
        Map<Group, List<FidelitySuite.Row>> groups = new LinkedHashMap<>();
        for (FidelitySuite.Row r : rows) {
            groups.computeIfAbsent(new Group(r.modelSpec(), r.gpu()), g -> new ArrayList<>()).add(r);
        }
        List<Pair> all = new ArrayList<>();
        for (List<FidelitySuite.Row> group : groups.values()) {
            for (int i = 0; i < group.size(); i++) {
                for (int j = i + 1; j < group.size(); j++) {
                    FidelitySuite.Row a = group.get(i);
                    FidelitySuite.Row b = group.get(j);
                    FidelitySuite.Row fast = a.publishedTokensPerSecondPerGpu() >= b.publishedTokensPerSecondPerGpu() ? a : b;
                    FidelitySuite.Row slow = fast == a ? b : a;
                    double published = fast.publishedTokensPerSecondPerGpu() / slow.publishedTokensPerSecondPerGpu();
                    if (published < MIN_PUBLISHED_RATIO) {
                        continue;
                    }
                    double predicted = fast.predictedTokensPerSecondPerGpu() / slow.predictedTokensPerSecondPerGpu();
                    all.add(new Pair(fast.gpu(), fast.model(), fast.layout(), slow.model(), slow.layout(), published,
                            predicted, predicted > 1));
                }
            }
        }
        int agreeing = (int) all.stream().filter(Pair::agrees).count();
        return new Result(MIN_PUBLISHED_RATIO, agreeing, all);
    }
}
