package org.mohge.cli.serve;

/**
 * What simulating one deployment at the plan's traffic found; one line of the resume file.
 * {@code status} is {@code ok} or {@code does-not-fit} ({@code reason} says why; the figures are
 * null). Independent of the latency target and the prices, so the resume file stays valid when
 * only those change.
 */
public record ServingPointResult(ServingPoint point, String status, String reason, Double ttftP99Ms,
                                 Double tpotP99Ms, Double requestsPerS, Double goodputRequestsPerS,
                                 Double outputTokensPerSPerGpu, Double peakKvUse, Long rejected) {
    public static final String OK = "ok";
    public static final String DOES_NOT_FIT = "does-not-fit";

    public boolean ok() {
        return OK.equals(status);
    }
}
