package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * A toy layer: 100 host operations at 2 us each (200 us to issue) between syncs; after a sync the
 * GPU waits 2 us for the first of them.
 */
class HostTimelineTest {
    private static final double HOST_US = 100 * 2.0;

    @Test
    void aGpuBoundSegmentCostsNothingExtra() {
        HostTimeline t = new HostTimeline(2);
        t.add(HOST_US, 300);
        t.sync();
        // max(200, 300) = 300: the GPU's own time, 0 host-bound.
        assertThat(t.hostBoundUs()).isZero();
    }

    @Test
    void aHostBoundSegmentWaitsForTheHost() {
        HostTimeline t = new HostTimeline(2);
        t.add(HOST_US, 150);
        t.sync();
        // max(200, 150) = 200: 50 us beyond the GPU's 150.
        assertThat(t.hostBoundUs()).isCloseTo(50, within(1e-12));
    }

    @Test
    void theHostCannotBankAGpuBoundSegmentsSlackPastASync() {
        HostTimeline synced = new HostTimeline(2);
        synced.add(HOST_US, 150); // host-bound by 50
        synced.sync();
        synced.add(HOST_US, 400); // GPU-bound by 200
        synced.sync();
        // 50 + 2: the 200 us the host is idle in the second segment do not pay for the first, and
        // the second starts at a sync, with the GPU idle until the host issues its first kernel.
        assertThat(synced.hostBoundUs()).isCloseTo(52, within(1e-12));

        HostTimeline unsynced = new HostTimeline(2);
        unsynced.add(HOST_US, 150);
        unsynced.add(HOST_US, 400);
        unsynced.sync();
        // One segment, not after a sync: max(400, 550) = 550, the GPU's own time.
        assertThat(unsynced.hostBoundUs()).isZero();
    }

    @Test
    void workAfterTheLastSyncIsNotCountedUntilTheNextOne() {
        HostTimeline t = new HostTimeline(2);
        t.add(HOST_US, 0);
        assertThat(t.hostBoundUs()).isZero();
        t.sync();
        assertThat(t.hostBoundUs()).isCloseTo(200, within(1e-12));
    }
}
