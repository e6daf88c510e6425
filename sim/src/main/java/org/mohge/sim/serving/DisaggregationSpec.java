package org.mohge.sim.serving;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * Prefill/decode disaggregation: a {@code prefill} pool computes prompts and the first token,
 * then ships the KV cache to a {@code decode} pool replica at {@code transferGBps} (default: the
 * cluster's NIC bandwidth of one GPU) after
 * {@code transferLatencyUs} (default: the cluster's NIC latency).
 */
public record DisaggregationSpec(@JsonProperty(required = true) PoolSpec prefill,
                                 @JsonProperty(required = true) PoolSpec decode,
                                 Double transferGBps, Double transferLatencyUs) {
    public DisaggregationSpec {
        Require.present(prefill, "prefill");
        Require.present(decode, "decode");
        if (transferGBps != null) {
            Require.positive(transferGBps, "transferGBps");
        }
        if (transferLatencyUs != null) {
            Require.nonNegative(transferLatencyUs, "transferLatencyUs");
        }
    }
}
