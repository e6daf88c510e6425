package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The host's issue order against the GPU, worked kernel by kernel by hand. */
class IssueQueueTest {

    @Test
    void aGpuBoundPieceWaitsOnlyForItsFirstKernel() {
        // 4 kernels of 10 us issued at 1 us each: issued at 1, 2, 3, 4; they run 1-11, 11-21, 21-31, 31-41.
        IssueQueue q = new IssueQueue();
        q.issue(4, 4, 40);
        assertThat(q.elapsedUs()).isCloseTo(41, within(1e-12));
        assertThat(q.hostBoundUs()).isCloseTo(1, within(1e-12));
    }

    @Test
    void aHostBoundPieceTakesTheHostsTime() {
        // 4 kernels of 1 us issued at 10 us each: issued at 10, 20, 30, 40; the last runs 40-41.
        IssueQueue q = new IssueQueue();
        q.issue(4, 40, 4);
        assertThat(q.elapsedUs()).isCloseTo(41, within(1e-12));
        assertThat(q.hostBoundUs()).isCloseTo(37, within(1e-12));
    }

    @Test
    void theHostRunsAheadDuringALongKernelUntilASync() {
        // A 100 us kernel issued at 1 runs 1-101; 10 short kernels issued at 2..11 queue behind it
        // and run 101-111: only the first kernel's issue is waited for.
        IssueQueue banked = new IssueQueue();
        banked.issue(1, 1, 100);
        banked.issue(10, 10, 10);
        assertThat(banked.elapsedUs()).isCloseTo(111, within(1e-12));
        banked.issue(10, 10, 10);
        // Issued at 12..21, long before the GPU reaches them at 111: 111-121.
        assertThat(banked.elapsedUs()).isCloseTo(121, within(1e-12));
        assertThat(banked.hostBoundUs()).isCloseTo(1, within(1e-12));

        // With a sync after the short kernels the host waits until 111, then issues at 112..121,
        // the GPU runs them 112-113, ..., 121-122.
        IssueQueue synced = new IssueQueue();
        synced.issue(1, 1, 100);
        synced.issue(10, 10, 10);
        synced.sync();
        synced.issue(10, 10, 10);
        assertThat(synced.elapsedUs()).isCloseTo(122, within(1e-12));
        assertThat(synced.hostBoundUs()).isCloseTo(2, within(1e-12));
    }

    @Test
    void workIssuedWithNoKernelOfItsOwnQueuesBehindTheRest() {
        IssueQueue q = new IssueQueue();
        q.issue(2, 20, 2);
        q.issue(0, 0, 5);
        // Issued at 10 and 20, run 10-11 and 20-21; then 5 us more: 26.
        assertThat(q.elapsedUs()).isCloseTo(26, within(1e-12));
        assertThat(q.hostBoundUs()).isCloseTo(19, within(1e-12));
    }
}
