package org.mohge.cli.serve;

/**
 * One deployment of a serving plan at the target traffic. Latency and throughput fields are null
 * when the deployment does not fit ({@code status} says why).
 */
public record ServingPlanPoint(String id, String gpu, int tp, int dp, int replicas, int prefillReplicas,
                               int decodeReplicas, int gpus, double costPerHour,
                               String status, Double ttftP99Ms, Double tpotP99Ms, Double requestsPerS,
                               Double goodputRequestsPerS, Double outputTokensPerSPerGpu, Double peakKvUse,
                               Long rejected, boolean meetsTarget, boolean pareto) {

    public boolean ok() {
        return ttftP99Ms != null;
    }

    /** {@code replicas} is 0 for a disaggregated point, which has prefill and decode replicas instead. */
    public String label() {
        String rank = "(tp " + tp + " x dp " + dp + ")";
        if (replicas == 0) {
            return "P" + prefillReplicas + ":D" + decodeReplicas + " x " + rank + " " + gpu;
        }
        return replicas + " x " + rank + " " + gpu;
    }

    ServingPlanPoint withPareto(boolean onFront) {
        return new ServingPlanPoint(id, gpu, tp, dp, replicas, prefillReplicas, decodeReplicas, gpus, costPerHour,
                status, ttftP99Ms, tpotP99Ms,
                requestsPerS, goodputRequestsPerS, outputTokensPerSPerGpu, peakKvUse, rejected, meetsTarget, onFront);
    }
}
