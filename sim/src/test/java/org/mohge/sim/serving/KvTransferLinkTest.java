package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KV transfer between pools of different layouts, and a whole two-pool run, computed by hand. */
class KvTransferLinkTest {
    @TempDir
    Path dir;

    @Test
    void busiestLinkSetsTheTransferTime() {
        // Qwen3-30B-A3B (GQA, 4 KV heads): 98,304 bytes per token in bf16 (KvCacheTest). 2,000 tokens, 50 GB/s
        // (50 bytes per ns) per link, 5 us latency.
        // Prefill tp 2 -> decode tp 4: each prefill GPU sends 98,304 / 2 = 49,152 bytes per token, each decode GPU
        // takes its 1 KV head, 24,576: the senders are the bottleneck. 2,000 x 49,152 / 50 = 1,966,080 ns.
        KvTransferLink wide = KvTransferLink.between(KvCacheTest.QWEN, 2, new PoolSpec(1, 2, 1, null),
                new PoolSpec(1, 4, 1, null), 50, 5);
        assertThat(wide.bytesPerTokenPerLink()).isEqualTo(49_152.0);
        assertThat(wide.timeNs(2000)).isEqualTo(5_000 + 1_966_080);
        // Prefill tp 8 -> decode tp 1: the one decode GPU takes all 98,304 bytes per token: 3,932,160 ns.
        KvTransferLink narrow = KvTransferLink.between(KvCacheTest.QWEN, 2, new PoolSpec(1, 8, 1, null),
                PoolSpec.single(), 50, 5);
        assertThat(narrow.timeNs(2000)).isEqualTo(5_000 + 3_932_160);
        // An fp8 KV cache ships half the bytes: 49,152 per token over one link.
        assertThat(KvTransferLink.between(KvCacheTest.QWEN, 1, PoolSpec.single(), PoolSpec.single(), 50, 5)
                .timeNs(2000)).isEqualTo(5_000 + 1_966_080);
        // DeepSeek-V3 (MLA, 70,272 bytes per token): every decode GPU keeps the whole latent, so tp 8 on both
        // sides still moves 70,272 bytes per token into each decode GPU: 2,000 x 70,272 / 50 = 2,810,880 ns.
        assertThat(KvTransferLink.between(KvCacheTest.DEEPSEEK, 2, new PoolSpec(1, 8, 1, null),
                new PoolSpec(1, 8, 1, null), 50, 5).timeNs(2000)).isEqualTo(5_000 + 2_810_880);
    }

    @Test
    void twoPoolsOfDifferentLayoutsServeOneRequest() throws IOException {
        // One request, 2,000-token prompt, 3 output tokens; a prefill pool of 1 replica on tp 2 (2 GPUs), a decode
        // pool of 2 replicas on tp 4 (8 GPUs). Prefill takes 7 ms, a decode iteration 1 ms, the transfer
        // 5 us + 1,966,080 ns (2,000 x 98,304 / 2 bytes at 50 GB/s: the prefill GPUs' links are the busier; each
        // decode GPU takes one KV head, 24,576 bytes per token).
        Path trace = dir.resolve("one.csv");
        Files.writeString(trace, "arrivalTimeMs,promptTokens,outputTokens\n0,2000,3\n");
        PoolSpec prefill = new PoolSpec(1, 2, 1, null);
        PoolSpec decode = new PoolSpec(2, 4, 1, null);
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Trace(trace.toString()), null, null, null, null, null,
                null, null, new DisaggregationSpec(prefill, decode, 50.0, 5.0), null, null, null);
        ServingSimulator sim = new ServingSimulator(spec, List.of(
                new PoolSetup(PoolRole.PREFILL, prefill, 1000, IterationPricer.constant(7_000_000)),
                new PoolSetup(PoolRole.DECODE, decode, 1000, IterationPricer.constant(1_000_000))),
                KvTransferLink.between(KvCacheTest.QWEN, 2, prefill, decode, 50, 5));
        ServingResult r = sim.run(ArrivalSource.of(spec, 1, null));
        long transferNs = 5_000 + 1_966_080;
        assertThat(r.ttft().meanMs()).isCloseTo(7.0, Offset.offset(1e-9));
        // then the transfer, then two decode iterations for tokens 2 and 3
        assertThat(r.e2e().meanMs()).isCloseTo((7_000_000 + transferNs + 2_000_000) / 1e6, Offset.offset(1e-9));
        assertThat(r.pools()).extracting(PoolSummary::gpus).containsExactly(2, 8);
        assertThat(r.gpus()).isEqualTo(10);
        assertThat(r.pools()).extracting(PoolSummary::iterations).containsExactly(1L, 2L);
        // A decode pool on tp 1 x dp 2 holds a request on one GPU, which must take all 98,304 bytes per token:
        // the transfer doubles to 5 us + 3,932,160 ns.
        assertThat(KvTransferLink.between(KvCacheTest.QWEN, 2, prefill, new PoolSpec(2, 1, 2, null), 50, 5)
                .timeNs(2000)).isEqualTo(5_000 + 3_932_160);
    }
}
