package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.sim.InputFileException;

/** Whole runs with constant iteration prices, traced by hand. */
class ServingSimulatorTest {
    @TempDir
    Path dir;

    private Path trace(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static ServingSpec spec(Path trace, SchedulerSpec scheduler, KvCacheSpec kv, PoolSpec deployment,
                                    DisaggregationSpec disaggregation) {
        return new ServingSpec(new ArrivalSpec.Trace(trace.toString()), null, null, null, null, scheduler, kv,
                deployment, disaggregation, null, null, null);
    }

    @Test
    void prefillDecodeDisaggregationAddsTheKvTransfer() throws IOException {
        // One request: 2,000-token prompt, 3 output tokens. DeepSeek-V3's MLA cache is 70,272 bytes per token:
        // 140,544,000 bytes at 50 GB/s = 2,810,880 ns, plus 5 us latency.
        Path t = trace("one.csv", "arrivalTimeMs,promptTokens,outputTokens\n0,2000,3\n");
        ServingSpec spec = spec(t, null, null, null,
                new DisaggregationSpec(PoolSpec.single(), PoolSpec.single(), 50.0, 5.0));
        long prefillNs = 7_000_000;
        long decodeNs = 1_000_000;
        ServingSimulator sim = new ServingSimulator(spec, List.of(
                new PoolSetup(PoolRole.PREFILL, PoolSpec.single(), 1000, IterationPricer.constant(prefillNs)),
                new PoolSetup(PoolRole.DECODE, PoolSpec.single(), 1000, IterationPricer.constant(decodeNs))),
                new KvTransferLink(70_272, 50.0, 5.0));
        long transferNs = 5_000 + 2_810_880;
        assertThat(sim.transferNs(2000)).isEqualTo(transferNs);
        ServingResult r = sim.run(ArrivalSource.of(spec, 1, null));
        // First token at the end of the prefill; then transfer, then two decode iterations for tokens 2 and 3.
        assertThat(r.ttft().meanMs()).isCloseTo(7.0, Offset.offset(1e-9));
        assertThat(r.e2e().meanMs()).isCloseTo((prefillNs + transferNs + 2 * decodeNs) / 1e6, Offset.offset(1e-9));
        assertThat(r.tpot().meanMs()).isCloseTo((transferNs + 2 * decodeNs) / 2e6, Offset.offset(1e-9));
        assertThat(r.pools()).extracting(PoolSummary::iterations).containsExactly(1L, 2L);
    }

    @Test
    void fullCachePreemptsAndEveryRequestStillFinishes() throws IOException {
        // 7 pages of 16 tokens. Each request needs ceil((48 + 64 - 1) / 16) = 7 pages at its end, so one fits
        // alone but two cannot both reach their ends: the later one is preempted and recomputed.
        Path t = trace("two.jsonl", "{\"arrivalTimeMs\": 0, \"promptTokens\": 48, \"outputTokens\": 64}\n"
                + "{\"arrivalTimeMs\": 0, \"promptTokens\": 48, \"outputTokens\": 64}\n");
        ServingSpec spec = spec(t, null, new KvCacheSpec(16, null, null, 7), null, null);
        List<Integer> batchSizes = new ArrayList<>();
        ServingSimulator sim = new ServingSimulator(spec,
                List.of(new PoolSetup(PoolRole.UNIFIED, PoolSpec.single(), 7, IterationPricer.constant(1_000_000))),
                KvTransferLink.NONE).withListener((replica, role, startNs, durationNs, shape, seqs) -> batchSizes.add(seqs));
        ServingResult r = sim.run(ArrivalSource.of(spec, 1, null));
        assertThat(r.completed()).isEqualTo(2);
        assertThat(r.preemptions()).isGreaterThanOrEqualTo(1);
        assertThat(r.peakKvUse()).isLessThanOrEqualTo(1.0);
        // Without the preemption they would finish in 65 iterations (see below). With it, more.
        assertThat(r.iterations()).isGreaterThan(65);

        ServingSpec roomy = spec(t, null, new KvCacheSpec(16, null, null, 14), null, null);
        ServingResult r2 = new ServingSimulator(roomy,
                List.of(new PoolSetup(PoolRole.UNIFIED, PoolSpec.single(), 14, IterationPricer.constant(1_000_000))),
                KvTransferLink.NONE).run(ArrivalSource.of(roomy, 1, null));
        // 14 pages hold both: request 0 prefills alone in iteration 1 (it starts before request 1 is seen) and
        // emits its 64 tokens in iterations 1..64; request 1 prefills in iteration 2 and emits in 2..65.
        assertThat(r2.preemptions()).isZero();
        assertThat(r2.iterations()).isEqualTo(65);
        assertThat(r2.e2e().maxMs()).isCloseTo(65.0, Offset.offset(1e-9));
        assertThat(r2.ttft().maxMs()).isCloseTo(2.0, Offset.offset(1e-9));
    }

    @Test
    void brokenTraceRowNamesFileLineAndKey() throws IOException {
        Path t = trace("bad.csv", "arrivalTimeMs,promptTokens,outputTokens\n0,10,5\n1,-3,5\n");
        ServingSpec spec = spec(t, null, null, null, null);
        ArrivalSource src = ArrivalSource.of(spec, 1, null);
        src.next();
        org.assertj.core.api.Assertions.assertThatThrownBy(src::next).isInstanceOf(InputFileException.class)
                .hasMessage(t + ": line 3 promptTokens must be a whole number >= 1, got -3.0");
    }

    @Test
    void sameSeedSameResult() {
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Gamma(50, 2.0), new LengthSpec.Lognormal(200, 0.8, 4000),
                new LengthSpec.Uniform(10, 100), 2000L, null, null, new KvCacheSpec(16, null, null, 500),
                new PoolSpec(2, 1, 1, null), null, LoadBalancerPolicy.ROUND_ROBIN, new SloSpec(100, 20), 50);
        IterationPricer pricer = shape -> new IterationCost(200_000 + 50L * shape.tokens(), 1);
        ServingResult a = new ServingSimulator(spec,
                List.of(new PoolSetup(PoolRole.UNIFIED, spec.deployment(), 500, pricer)), KvTransferLink.NONE)
                .run(ArrivalSource.of(spec, 11, null));
        ServingResult b = new ServingSimulator(spec,
                List.of(new PoolSetup(PoolRole.UNIFIED, spec.deployment(), 500, pricer)), KvTransferLink.NONE)
                .run(ArrivalSource.of(spec, 11, null));
        assertThat(a).isEqualTo(b);
        assertThat(a.completed()).isEqualTo(2000);
        assertThat(a.series()).hasSizeLessThanOrEqualTo(50);
    }

    @Test
    void aLognormalMedianAboveItsCapIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LengthSpec.Lognormal(5000, 0.8, 100))
                .isInstanceOf(org.mohge.costmodel.spec.SpecViolation.class)
                .hasMessageContaining("medianTokens must be <= maxTokens (100), got 5000");
        assertThat(new LengthSpec.Lognormal(100, 0.8, 100).maxTokens()).isEqualTo(100);
    }
}
