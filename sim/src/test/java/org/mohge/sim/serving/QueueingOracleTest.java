package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * M/D/1: Poisson arrivals, one replica that serves one request at a time in a constant time D
 * (one-token prompt, one output token, one iteration each). The mean wait before service is
 * {@code rho / (2 mu (1 - rho))} (Pollaczek-Khinchine with zero service variance).
 */
class QueueingOracleTest {
    static final long SERVICE_NS = 1_000_000;

    @ParameterizedTest(name = "rho {0}")
    @CsvSource({"0.5, 400000", "0.7, 600000", "0.9, 2000000"})
    void meanQueueingDelayMatchesMd1(double rho, long requests) {
        double serviceS = SERVICE_NS / 1e9;
        double rate = rho / serviceS;
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Poisson(rate), new LengthSpec.Fixed(1),
                new LengthSpec.Fixed(1), requests, null, new SchedulerSpec(SchedulerPolicy.CONTINUOUS, 16, 1, true),
                null, null, null, null, null, null);
        ServingSimulator sim = new ServingSimulator(spec,
                List.of(new PoolSetup(PoolRole.UNIFIED, PoolSpec.single(), 100, IterationPricer.constant(SERVICE_NS))),
                KvTransferLink.NONE);
        ServingResult r = sim.run(ArrivalSource.of(spec, 7, null));

        double mu = 1 / serviceS;
        double expectedWaitMs = rho / (2 * mu * (1 - rho)) * 1e3;
        System.out.printf(java.util.Locale.ROOT, "M/D/1 rho %.1f: simulated mean wait %.4f ms, formula %.4f ms, error %+.2f%%%n",
                rho, r.queueing().meanMs(), expectedWaitMs, 100 * (r.queueing().meanMs() / expectedWaitMs - 1));
        assertThat(r.completed()).isEqualTo(requests);
        assertThat(r.queueing().meanMs()).isCloseTo(expectedWaitMs,
                org.assertj.core.data.Percentage.withPercentage(3));
        // Time to first token is the wait plus one service time.
        assertThat(r.ttft().meanMs()).isCloseTo(r.queueing().meanMs() + serviceS * 1e3,
                org.assertj.core.data.Offset.offset(1e-6));
    }
}
