package org.mohge.cli.serve;

/**
 * One deployment of a serving plan at the target traffic. Latency and throughput fields are null
 * when the deployment does not fit ({@code status} says why).
 */
public record ServingPlanPoint(String id, String gpu, int tp, int dp, int replicas, int gpus, double costPerHour,
                               String status, Double ttftP99Ms, Double tpotP99Ms, Double requestsPerS,
                               Double goodputRequestsPerS, Double outputTokensPerSPerGpu, Double peakKvUse,
                               Long rejected, boolean meetsTarget, boolean pareto) {

    public boolean ok() {
        return ttftP99Ms != null;
    }

    public String label() {
        return replicas + " x (tp " + tp + " x dp " + dp + ") " + gpu;
    }

    ServingPlanPoint withPareto(boolean onFront) {
        return new ServingPlanPoint(id, gpu, tp, dp, replicas, gpus, costPerHour, status, ttftP99Ms, tpotP99Ms,
                requestsPerS, goodputRequestsPerS, outputTokensPerSPerGpu, peakKvUse, rejected, meetsTarget, onFront);
    }
}
