package org.mohge.sim.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays a per-token trace. Micro-batch m of step s replays trace step number
 * {@code (s * microBatches + m) mod traceSteps} (in trace-step order); MoE layer l replays the
 * trace layer {@code l mod traceLayers} of that step (in layer order). The trace's tokens are
 * spread over the source GPUs in blocks proportional to their token counts; when the trace step
 * holds N tokens and the micro-batch T, each traced copy counts T / N copies (1 when they match).
 */
public final class TokenTraceRouting implements RoutingModel {
    private final int layers;
    private final int experts;
    private final int picks;
    private final int microBatches;
    private final List<List<List<int[]>>> steps;

    public TokenTraceRouting(TokenTrace trace, int layers, int experts, int picks, int microBatches) {
        this.layers = layers;
        this.experts = experts;
        this.picks = picks;
        this.microBatches = microBatches;
        this.steps = new ArrayList<>();
        for (Map<Integer, List<int[]>> byLayer : trace.stepLayerTokens().values()) {
            steps.add(new ArrayList<>(byLayer.values()));
        }
    }

    private TokenTraceRouting(TokenTraceRouting base, int microBatches) {
        this.layers = base.layers;
        this.experts = base.experts;
        this.picks = base.picks;
        this.microBatches = microBatches;
        this.steps = base.steps;
    }

    @Override
    public RoutingModel withUnitsPerStep(int units) {
        return units == microBatches ? this : new TokenTraceRouting(this, units);
    }

    @Override
    public int moeLayers() {
        return layers;
    }

    @Override
    public int experts() {
        return experts;
    }

    @Override
    public int picksPerToken() {
        return picks;
    }

    private List<int[]> tokens(int traceStep, int layer) {
        List<List<int[]>> byLayer = steps.get(traceStep);
        return byLayer.get(layer % byLayer.size());
    }

    @Override
    public double[][] route(int step, int microBatch, long[] tokensPerGpu) {
        int traceStep = (int) (((long) step * microBatches + microBatch) % steps.size());
        int gpus = tokensPerGpu.length;
        long total = 0;
        for (long t : tokensPerGpu) {
            total += t;
        }
        double[][] counts = new double[layers][];
        for (int l = 0; l < layers; l++) {
            List<int[]> tokens = tokens(traceStep, l);
            int n = tokens.size();
            double weight = (double) total / n;
            double[] c = new double[gpus * experts];
            int src = 0;
            long blockEnd = tokensPerGpu[0];
            for (int i = 0; i < n; i++) {
                // Position of this token in the micro-batch, then the GPU whose block holds it.
                double position = (i + 0.5) * weight;
                while (src < gpus - 1 && position >= blockEnd) {
                    src++;
                    blockEnd += tokensPerGpu[src];
                }
                int base = src * experts;
                for (int e : tokens.get(i)) {
                    c[base + e] += weight;
                }
            }
            counts[l] = c;
        }
        return counts;
    }

    @Override
    public double[] expectedInclusion(int layer) {
        double[] pi = new double[experts];
        for (int s = 0; s < steps.size(); s++) {
            List<int[]> tokens = tokens(s, layer);
            for (int[] ids : tokens) {
                for (int e : ids) {
                    pi[e] += 1.0 / tokens.size() / steps.size();
                }
            }
        }
        return pi;
    }
}
