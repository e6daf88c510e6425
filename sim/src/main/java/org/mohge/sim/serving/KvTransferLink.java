package org.mohge.sim.serving;

import org.mohge.costmodel.arch.ModelSpec;

/**
 * The links that carry a request's KV cache from a prefill replica to a decode replica:
 * {@code latencyUs + promptTokens * bytesPerTokenPerLink / gbps}. The busiest link sets the time:
 * every GPU of the prefill rank holds (a copy of) its share and can send a distinct part, so
 * each of the prefill's {@code tp} links carries {@code 1/tp} of the bytes; each decode GPU must
 * receive what it keeps (GQA heads split over {@code min(tp, kvHeads)}, MLA's latent whole on
 * every GPU). So {@code bytesPerTokenPerLink = max(kv / tpPrefill, kvPerGpu(tpDecode))}, with one
 * link per GPU (its NIC by default).
 */
public record KvTransferLink(double bytesPerTokenPerLink, double gbps, double latencyUs) {
    /** No transfer (a unified deployment). */
    public static final KvTransferLink NONE = new KvTransferLink(0, 1, 0);

    public KvTransferLink {
        if (!(bytesPerTokenPerLink >= 0) || !(gbps > 0) || !(latencyUs >= 0)) {
            throw new IllegalArgumentException("KV transfer link needs bytes >= 0, GB/s > 0 and latency >= 0, got "
                    + bytesPerTokenPerLink + ", " + gbps + ", " + latencyUs);
        }
    }

    /** The link between two pools of {@code model} with {@code kvBytesPerValue}-byte KV values. */
    public static KvTransferLink between(ModelSpec model, int kvBytesPerValue, PoolSpec prefill, PoolSpec decode,
                                         double gbps, double latencyUs) {
        double kv = ServingDeployment.kvBytesPerToken(model, kvBytesPerValue);
        double perLink = Math.max(kv / prefill.tp(),
                ServingDeployment.kvBytesPerTokenPerGpu(model, decode.tp(), kvBytesPerValue));
        return new KvTransferLink(perLink, gbps, latencyUs);
    }

    /** Nanoseconds to move the KV cache of {@code promptTokens} tokens (GB/s is bytes per ns). */
    public long timeNs(int promptTokens) {
        return Math.round(latencyUs * 1e3) + Math.round(promptTokens * bytesPerTokenPerLink / gbps);
    }
}
