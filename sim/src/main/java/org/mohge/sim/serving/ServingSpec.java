package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * The scenario's {@code serving} section. Required: {@code arrivals}; {@code promptTokens} and
 * {@code outputTokens} unless the arrivals are a trace. The run stops admitting after
 * {@code requests} arrivals (default 10,000) or {@code durationS} seconds, whichever comes first,
 * and ends when every admitted request is done. Either {@code deployment} (default one replica on
 * one GPU) or {@code disaggregation}. {@code dualBatchOverlap} (default false) splits each
 * iteration into two micro-batches whose expert-parallel dispatch and combine overlap the other's
 * compute (DeepSeek's and SGLang's two-batch overlap for DP attention with EP).
 */
public record ServingSpec(@JsonProperty(required = true) ArrivalSpec arrivals, LengthSpec promptTokens,
                          LengthSpec outputTokens, Long requests, Double durationS, SchedulerSpec scheduler,
                          KvCacheSpec kvCache, PoolSpec deployment, DisaggregationSpec disaggregation,
                          LoadBalancerPolicy loadBalancer, SloSpec slo, Integer seriesPoints,
                          Boolean dualBatchOverlap) {
    public ServingSpec {
        Require.present(arrivals, "arrivals");
        if (!(arrivals instanceof ArrivalSpec.Trace)) {
            Require.present(promptTokens, "promptTokens");
            Require.present(outputTokens, "outputTokens");
        } else if (promptTokens != null || outputTokens != null) {
            throw new SpecViolation(promptTokens != null ? "promptTokens" : "outputTokens",
                    "must be absent when arrivals is a trace (the trace carries the lengths)");
        }
        requests = requests == null ? 10_000L : requests;
        Require.positive(requests, "requests");
        if (durationS != null) {
            Require.positive(durationS, "durationS");
        }
        scheduler = scheduler == null ? SchedulerSpec.defaults() : scheduler;
        kvCache = kvCache == null ? KvCacheSpec.defaults() : kvCache;
        if (disaggregation != null && deployment != null) {
            throw new SpecViolation("deployment", "must be absent when disaggregation is given");
        }
        if (deployment != null && deployment.gpu() != null) {
            throw new SpecViolation("deployment.gpu", "must be absent: a unified deployment runs on the cluster's "
                    + "gpu (only disaggregation pools may name another GPU kind)");
        }
        if (disaggregation == null && deployment == null) {
            deployment = PoolSpec.single();
        }
        loadBalancer = loadBalancer == null ? LoadBalancerPolicy.LEAST_LOADED : loadBalancer;
        seriesPoints = seriesPoints == null ? 200 : seriesPoints;
        Require.positive(seriesPoints, "seriesPoints");
        dualBatchOverlap = dualBatchOverlap != null && dualBatchOverlap;
    }

    /** Without dual-batch overlap (stages back to back). */
    public ServingSpec(ArrivalSpec arrivals, LengthSpec promptTokens, LengthSpec outputTokens, Long requests,
                       Double durationS, SchedulerSpec scheduler, KvCacheSpec kvCache, PoolSpec deployment,
                       DisaggregationSpec disaggregation, LoadBalancerPolicy loadBalancer, SloSpec slo,
                       Integer seriesPoints) {
        this(arrivals, promptTokens, outputTokens, requests, durationS, scheduler, kvCache, deployment,
                disaggregation, loadBalancer, slo, seriesPoints, false);
    }

    public boolean disaggregated() {
        return disaggregation != null;
    }

    /** GPUs of all pools. */
    public int gpus() {
        return disaggregated() ? disaggregation.prefill().gpus() + disaggregation.decode().gpus() : deployment.gpus();
    }

    public ServingSpec withArrivals(ArrivalSpec newArrivals) {
        return new ServingSpec(newArrivals, promptTokens, outputTokens, requests, durationS, scheduler, kvCache,
                deployment, disaggregation, loadBalancer, slo, seriesPoints, dualBatchOverlap);
    }

    public ServingSpec withRequests(long newRequests) {
        return new ServingSpec(arrivals, promptTokens, outputTokens, newRequests, durationS, scheduler, kvCache,
                deployment, disaggregation, loadBalancer, slo, seriesPoints, dualBatchOverlap);
    }

    /** The same traffic and settings on other pools: a unified {@code newDeployment}, or {@code newDisaggregation}. */
    public ServingSpec withPools(PoolSpec newDeployment, DisaggregationSpec newDisaggregation) {
        return new ServingSpec(arrivals, promptTokens, outputTokens, requests, durationS, scheduler, kvCache,
                newDeployment, newDisaggregation, loadBalancer, slo, seriesPoints, dualBatchOverlap);
    }
}
